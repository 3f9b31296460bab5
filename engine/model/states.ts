/** The states a task moves through, and which moves are allowed. */
export const TASK_STATES = [
  "PLANNED",
  "RUNNING",
  "FINISHED",
  "FAILED",
  "SKIPPED",
  "KILLED",
] as const;

/** A task's state: PLANNED → RUNNING → FINISHED | FAILED, or SKIPPED / KILLED. */
export type TaskState = (typeof TASK_STATES)[number];

/** The states a run moves through. WAITING: the flow has returned, its tasks still run. */
export const RUN_STATES = [
  "CREATED",
  "RUNNING",
  "WAITING",
  "FINISHED",
  "EXCEPTED",
  "KILLED",
] as const;

/** A run's state. */
export type RunState = (typeof RUN_STATES)[number];

const TASK_MOVES: Readonly<Record<TaskState, readonly TaskState[]>> = {
  PLANNED: ["RUNNING", "SKIPPED", "KILLED"],
  RUNNING: ["FINISHED", "FAILED", "KILLED"],
  FINISHED: [],
  FAILED: [],
  SKIPPED: [],
  KILLED: [],
};

const RUN_MOVES: Readonly<Record<RunState, readonly RunState[]>> = {
  CREATED: ["RUNNING", "EXCEPTED", "KILLED"],
  RUNNING: ["WAITING", "FINISHED", "EXCEPTED", "KILLED"],
  WAITING: ["FINISHED", "EXCEPTED", "KILLED"],
  FINISHED: [],
  EXCEPTED: [],
  KILLED: [],
};

/** Whether a task may move from one state to another. */
export function canMoveTask(from: TaskState, to: TaskState): boolean {
  return TASK_MOVES[from].includes(to);
}

/** Whether a run may move from one state to another. */
export function canMoveRun(from: RunState, to: RunState): boolean {
  return RUN_MOVES[from].includes(to);
}

/** A terminal task state never changes again. */
export function isTerminalTask(state: TaskState): boolean {
  return TASK_MOVES[state].length === 0;
}

/** A terminal run state never changes again. */
export function isTerminalRun(state: RunState): boolean {
  return RUN_MOVES[state].length === 0;
}

/** A run's exit code, in the spirit of a process exit status. */
export const ExitCode = {
  /** Every task finished. */
  OK: 0,
  /** The flow threw an error of its own. */
  FLOW_ERROR: 1,
  /** A task failed: uncaught in the flow, behind a result, or unused by a finished flow. */
  TASK_FAILED: 2,
  /** The run was cancelled or interrupted. */
  KILLED: 130,
} as const;

/** One of the values of {@link ExitCode}. */
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];
