/** Starts one attempt of a task on its executor: the job pool, a command, or the event loop. */
import type { FlowScope, RunningTask } from "../author/flow-context.js";
import type { TaskDefinition } from "../author/task-definition.js";
import type { JobExecutor, JobOutput } from "./executor.js";
import { callInProcess } from "./in-process.js";
import { runShell } from "./shell-process.js";

/** What an attempt needs of its task. */
export interface AttemptTask extends RunningTask {
  readonly definition: TaskDefinition;
  readonly pk: number;
  readonly attempt: number;
  pid: number | undefined;
  stop(reason: Error): void;
}

/** How an attempt ended: the task, its attempt number then, and the value or the error. */
export type SettleAttempt<T> = (task: T, attempt: number, ok: boolean, value: unknown) => void;

/**
 * Runs the task's function with the arguments and calls `settle` once, with the value or the
 * error. A synchronous in-process function settles before this returns, without a microtask
 * (nor a closure: `settle` is one function for every attempt).
 */
export function startAttempt<T extends AttemptTask>(
  task: T,
  args: readonly unknown[],
  scope: FlowScope,
  jobs: () => JobExecutor,
  /** Aborted when the run stops its jobs: one signal for all of a run's jobs. */
  jobSignal: AbortSignal,
  output: ((output: JobOutput) => void) | undefined,
  settle: SettleAttempt<T>,
): void {
  const definition = task.definition;
  const attempt = task.attempt;
  if (definition.kind === "job") {
    const { ok, failed } = settlers(task, attempt, settle);
    jobs()
      .run({
        taskName: task.name,
        source: definition.source ?? "",
        args,
        key: `${task.pk}-${task.attempt}`,
        signal: jobSignal,
        onStart: (pid) => (task.pid = pid),
        ...(output !== undefined ? { onOutput: output } : {}),
        ...(definition.timeoutMs !== undefined ? { timeoutMs: definition.timeoutMs } : {}),
      })
      .then(ok, failed);
    return;
  }
  if (definition.kind === "shell" && definition.shell !== undefined) {
    const { ok, failed } = settlers(task, attempt, settle);
    runShell({
      taskName: task.name,
      spec: definition.shell,
      inputs: args[0],
      timeoutMs: definition.timeoutMs,
      signal: task.signal,
      onStart: (pid) => (task.pid = pid),
    }).then(ok, failed);
    return;
  }
  const outcome = callInProcess(definition.fn, args, scope, task, definition.timeoutMs);
  if (outcome.sync) {
    settle(task, attempt, outcome.ok, outcome.value);
    return;
  }
  const { ok, failed } = settlers(task, attempt, settle);
  outcome.promise.then(ok, failed);
}

/** The two callbacks of a promise that settles an attempt: made only where one does. */
function settlers<T>(task: T, attempt: number, settle: SettleAttempt<T>) {
  return {
    ok: (value: unknown) => settle(task, attempt, true, value),
    failed: (error: unknown) => settle(task, attempt, false, error),
  };
}
