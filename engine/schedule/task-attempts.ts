/**
 * The attempts of a task: each started on its executor, and after a failed one, the task's
 * handlers asked, or a plain retry while it has retries left, or the failure for good.
 */
import { setMaxListeners } from "node:events";
import type { JobExecutor, JobOutput } from "../execute/executor.js";
import { startAttempt } from "../execute/start-attempt.js";
import type { FlowScope } from "../author/flow-context.js";
import { handleFailure } from "./task-handling.js";
import type { RunJournal } from "./run-journal.js";
import type { TaskRun } from "./task-run.js";

/** How the attempts of a run's tasks end, for the run. */
export interface AttemptOutcomes {
  /** Whether the run has ended (a failure then is final). */
  ended(): boolean;
  /** An attempt returned this value. */
  succeeded(task: TaskRun, value: unknown): void;
  /** The task failed for good. */
  failed(task: TaskRun, error: unknown): void;
  /** Taking an attempt's end into account threw (the store refused a write): the run ends. */
  broken(error: unknown): void;
}

/** Starts and retries the attempts of one run's tasks. */
export class TaskAttempts {
  /**
   * The signal of every job of the run: a run stops its jobs all at once (cancel, or the flow
   * raising), so one controller and one abort listener in the pool serve them all.
   */
  readonly #jobs = new AbortController();

  constructor(
    private readonly journal: RunJournal,
    /** The run the tasks' code runs in (for calls of `task` inside an in-process task). */
    private readonly scope: FlowScope,
    private readonly jobs: () => JobExecutor,
    private readonly outcomes: AttemptOutcomes,
  ) {
    // an executor may listen per job (a broker's): as many listeners as jobs at once is no leak
    setMaxListeners(0, this.#jobs.signal);
  }

  /** Takes an attempt's end into account; one function for every attempt of the run. */
  readonly #settle = (task: TaskRun, attempt: number, ok: boolean, value: unknown): void => {
    // a late answer of a stopped or superseded attempt changes nothing
    if (task.state !== "RUNNING" || task.attempt !== attempt) return;
    // called from the executor's promise: what throws here would be unhandled
    try {
      if (ok) this.outcomes.succeeded(task, value);
      else this.failOrRetry(task, value);
    } catch (error) {
      this.outcomes.broken(error);
    }
  };

  /** Starts the task's next attempt with its resolved arguments. */
  attempt(task: TaskRun): void {
    task.newAttempt();
    // the pool passes on only what the running job prints
    const printed =
      task.definition.kind === "job"
        ? (output: JobOutput) => this.journal.taskOutput(task, output)
        : undefined;
    const args = task.resolvedArgs ?? [];
    startAttempt(task, args, this.scope, this.jobs, this.#jobs.signal, printed, this.#settle);
  }

  /** Stops every job of the run still waiting or running (their tasks were killed). */
  stopJobs(reason: Error): void {
    if (!this.#jobs.signal.aborted) this.#jobs.abort(reason);
  }

  /** After a failed attempt: what a handler decides, else a retry if one is left, else failure. */
  failOrRetry(task: TaskRun, error: unknown): void {
    const handled = this.outcomes.ended() ? undefined : handleFailure(task, error);
    if (handled !== undefined) {
      if (handled.retry) task.attempt++;
      this.journal.handled(task, handled);
      if (!handled.retry) this.outcomes.failed(task, handled.error);
      else this.attempt(task);
      return;
    }
    if (task.attempt <= task.definition.retries && !this.outcomes.ended()) {
      task.attempt++;
      this.journal.retry(task, error);
      this.attempt(task);
      return;
    }
    this.outcomes.failed(task, error);
  }
}
