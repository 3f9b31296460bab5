/** What the scheduler asks of the executors that run job tasks in worker processes. */

/** One call of a job function in a worker process. */
export interface JobRequest {
  /** The task's name, for messages. */
  readonly taskName: string;
  /** The function's source text (`fn.toString()`), checked by `checkJobSource`. */
  readonly source: string;
  /** Positional arguments: plain data, checked by `findUnserialisable`. */
  readonly args: readonly unknown[];
  /**
   * Names this attempt of this task node (`<task pk>-<attempt>`): a run continued elsewhere
   * asks again under the same key, so an executor that sends jobs away may wait on the job
   * already sent rather than run it a second time.
   */
  readonly key?: string;
  /** Stop the job (SIGKILL its process) after this many milliseconds. */
  readonly timeoutMs?: number;
  /** Aborting kills the process running the job and rejects with `signal.reason`. */
  readonly signal?: AbortSignal;
  /** Called with the worker's pid when the job is handed to a process. */
  readonly onStart?: (pid: number) => void;
  /** Called with what the job prints with `console` while it runs, one call per print. */
  readonly onOutput?: (output: JobOutput) => void;
}

/** What a job printed: the console method it called and the formatted text. */
export interface JobOutput {
  readonly method: "log" | "info" | "debug" | "warn" | "error";
  readonly text: string;
}

/** Runs job functions in a warm pool of worker processes. */
export interface JobExecutor {
  /** Resolves with the job's return value; rejects with its error (name, message, stack kept). */
  run(request: JobRequest): Promise<unknown>;
  /** How many jobs may run at once (one per worker process). */
  readonly concurrency: number;
  /**
   * How many jobs to hand it at once to keep its processes busy (some wait in a process, sent
   * ahead); a run hands it no more. Default: `concurrency`.
   */
  readonly capacity?: number;
  /** Pids of the live worker processes. */
  pids(): number[];
  /** Kills every worker process; pending jobs reject. */
  close(): Promise<void>;
}
