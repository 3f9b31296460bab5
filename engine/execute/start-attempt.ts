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

/**
 * Runs the task's function with the arguments and calls `settle` once, with the value or the
 * error. A synchronous in-process function settles before this returns, without a microtask.
 */
export function startAttempt(
  task: AttemptTask,
  args: readonly unknown[],
  scope: FlowScope,
  jobs: () => JobExecutor,
  /** Aborted when the run stops its jobs: one signal for all of a run's jobs. */
  jobSignal: AbortSignal,
  output: ((output: JobOutput) => void) | undefined,
  settle: (ok: boolean, value: unknown) => void,
): void {
  const definition = task.definition;
  if (definition.kind === "job") {
    const { ok, failed } = settlers(settle);
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
    const { ok, failed } = settlers(settle);
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
    settle(outcome.ok, outcome.value);
    return;
  }
  const { ok, failed } = settlers(settle);
  outcome.promise.then(ok, failed);
}

/** The two callbacks of a promise that settles an attempt: made only where one does. */
function settlers(settle: (ok: boolean, value: unknown) => void) {
  return {
    ok: (value: unknown) => settle(true, value),
    failed: (error: unknown) => settle(false, error),
  };
}
