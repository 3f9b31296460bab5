/**
 * Errors the engine raises. Each has a stable `name` and readonly context fields, so code can
 * branch on them and the store can keep them; {@link rootCause} walks to the first cause.
 */
import * as messages from "./messages.js";
import type { TaskState } from "./states.js";

/** The base of every error the engine raises itself. */
export class WorkgraphError extends Error {
  override name = "WorkgraphError";
}

/** A task the flow depends on did not finish (FAILED, SKIPPED or KILLED). */
export class TaskFailedError extends WorkgraphError {
  override name = "TaskFailedError";
  constructor(
    readonly taskName: string,
    readonly pk: number | undefined,
    readonly state: TaskState,
    override readonly cause: unknown,
  ) {
    super(messages.taskFailed(taskName, pk, state, cause), { cause });
  }
}

/** `waitFor` gave up before every task it waited on was done. */
export class WaitTimeoutError extends WorkgraphError {
  override name = "WaitTimeoutError";
  constructor(
    readonly timeoutMs: number,
    readonly pending: readonly string[],
  ) {
    super(messages.waitTimedOut(timeoutMs, pending));
  }
}

/** A task ran longer than its `timeout` option and was stopped. */
export class TaskTimeoutError extends WorkgraphError {
  override name = "TaskTimeoutError";
  constructor(
    readonly taskName: string,
    readonly timeoutMs: number,
  ) {
    super(messages.taskTimedOut(taskName, timeoutMs));
  }
}

/** The run was cancelled (by `cancel()` or an interrupt) before this work was done. */
export class RunCancelledError extends WorkgraphError {
  override name = "RunCancelledError";
  constructor(
    readonly runName: string,
    readonly reason: string,
  ) {
    super(messages.runCancelled(runName, reason));
  }
}

/** An input given to `run()` does not fit the flow: unknown, missing or malformed. */
export class FlowInputError extends WorkgraphError {
  override name = "FlowInputError";
  constructor(
    readonly flowName: string,
    readonly input: string,
    message: string,
  ) {
    super(message);
  }
}

/** An input of a task does not match its schema, or cannot be sent to a job process. */
export class TaskInputError extends WorkgraphError {
  override name = "TaskInputError";
  constructor(
    readonly taskName: string,
    readonly input: string,
    message: string,
  ) {
    super(message);
  }
}

/** A task returned something that does not match its declared outputs. */
export class TaskOutputError extends WorkgraphError {
  override name = "TaskOutputError";
  constructor(
    readonly taskName: string,
    readonly output: string,
    message: string,
  ) {
    super(message);
  }
}

/** An output a task does not have: not declared, or not among the dynamic outputs it returned. */
export class UnknownOutputError extends WorkgraphError {
  override name = "UnknownOutputError";
  constructor(
    readonly taskName: string,
    /** The output's dotted name: `stats.median`. */
    readonly output: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * A task ended with a non-zero exit code: a shell command's exit, or thrown by a task
 * (`throw new TaskExitError(3, "did not converge")`). Handlers choose by the code.
 */
export class TaskExitError extends WorkgraphError {
  override name = "TaskExitError";
  constructor(
    readonly exitCode: number,
    message: string,
    /** What a command printed, when the exit is a shell command's. */
    readonly output?: { readonly stdout: string; readonly stderr: string },
  ) {
    super(message);
  }
}

/** A shell task's command could not be started (not found, not executable, a bad input). */
export class ShellCommandError extends WorkgraphError {
  override name = "ShellCommandError";
  constructor(
    readonly taskName: string,
    readonly command: string,
    message: string,
  ) {
    super(message);
  }
}

/** A socket's value was read before its task finished. */
export class NotReadyError extends WorkgraphError {
  override name = "NotReadyError";
  constructor(
    readonly taskName: string,
    readonly socket: string,
    readonly state: TaskState,
  ) {
    super(messages.notReady(taskName, socket, state));
  }
}

/** A task was called where no flow is running, or from inside another task. */
export class FlowContextError extends WorkgraphError {
  override name = "FlowContextError";
  constructor(
    readonly taskName: string,
    message: string,
  ) {
    super(message);
  }
}

/** A job function cannot run in a worker process (it captures outer variables, or is not a function). */
export class JobSourceError extends WorkgraphError {
  override name = "JobSourceError";
  constructor(
    readonly taskName: string,
    readonly captured: readonly string[],
    message: string,
  ) {
    super(message);
  }
}

/** The worker process running a job exited or was killed before the job was done. */
export class JobProcessError extends WorkgraphError {
  override name = "JobProcessError";
  constructor(
    readonly taskName: string,
    readonly pid: number | undefined,
    readonly exitCode: number | null,
    readonly signal: string | null,
  ) {
    super(messages.jobProcessDied(taskName, pid, exitCode, signal));
  }
}

/** The first error in a chain of `cause`s. */
export function rootCause(error: unknown): unknown {
  let current = error;
  const seen = new Set<unknown>();
  while (current instanceof Error && current.cause !== undefined && !seen.has(current)) {
    seen.add(current);
    current = current.cause;
  }
  return current;
}

/** A job was still waiting or running when its job pool was closed. */
export class JobPoolClosedError extends WorkgraphError {
  override name = "JobPoolClosedError";
  constructor(readonly taskName: string) {
    super(messages.jobPoolClosed(taskName));
  }
}

/** An options object has a key nobody reads (a misspelling, usually); names the closest one. */
export class UnknownOptionError extends WorkgraphError {
  override name = "UnknownOptionError";
  constructor(
    /** What the options were given to: `task add`, `run()`. */
    readonly where: string,
    readonly option: string,
    readonly suggestion: string | undefined,
  ) {
    super(messages.unknownOption(where, option, suggestion));
  }
}

/** A future of a part (`socket[1]`, `socket.key`) whose value has no such part. */
export class MissingPartError extends WorkgraphError {
  override name = "MissingPartError";
  constructor(
    readonly taskName: string,
    /** The output and the path to the missing part: `result[3]`. */
    readonly part: string,
    readonly valueText: string,
  ) {
    super(messages.missingPart(taskName, part, valueText));
  }
}

/** A declarative graph that cannot run as built: each problem names the task, input or socket. */
export class GraphValidationError extends WorkgraphError {
  override name = "GraphValidationError";
  constructor(
    readonly graphName: string,
    readonly problems: readonly string[],
  ) {
    super(messages.graphInvalid(graphName, problems));
  }
}
