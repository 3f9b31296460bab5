/** The events a run sends on its `events$` (a task's only while someone listens). */
import type { SerialisedError } from "../model/error-serialisation.js";
import type { EngineEventOf } from "../model/events.js";
import type { RunState, TaskState } from "../model/states.js";
import type { TaskRun } from "./task-run.js";

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** The run an event is of. */
export interface EventRun {
  readonly uuid: string;
  readonly pk: number;
  readonly name: string;
}

/** The run moved from `previous` to `state`: an end carries its exit code, EXCEPTED its error. */
export function runStateEvent(
  run: EventRun,
  at: number,
  state: RunState,
  previous: RunState,
  exitCode: number | undefined,
  error: SerialisedError | undefined,
): EngineEventOf<"run.state"> {
  const event: Mutable<EngineEventOf<"run.state">> = {
    type: "run.state",
    run: run.uuid,
    at,
    runPk: run.pk,
    name: run.name,
    state,
    previous,
  };
  if (exitCode !== undefined) event.exitCode = exitCode;
  if (error !== undefined) event.error = error;
  return event;
}

/** The run was paused, or played again. */
export function runPausedEvent(run: EventRun, paused: boolean): EngineEventOf<"run.paused"> {
  return { type: "run.paused", run: run.uuid, at: Date.now(), runPk: run.pk, paused };
}

/** A task was just created. */
export function taskCreatedEvent(run: string, task: TaskRun): EngineEventOf<"task.created"> {
  return {
    type: "task.created",
    run,
    at: task.createdAt,
    task: {
      id: task.id,
      pk: task.pk,
      name: task.name,
      group: task.definition.name,
      kind: task.definition.kind,
      sources: task.sources,
    },
  };
}

/** A task moved from `previous` to its state (FAILED carries its error, FINISHED its value). */
export function taskStateEvent(
  run: string,
  task: TaskRun,
  at: number,
  previous: TaskState,
  failure: SerialisedError | undefined,
  exitCode: number | undefined,
): EngineEventOf<"task.state"> {
  // built field by field: this runs several times per task, and spreads allocate
  const event: Mutable<EngineEventOf<"task.state">> = {
    type: "task.state",
    run,
    at,
    taskId: task.id,
    name: task.name,
    state: task.state,
    previous,
    attempt: task.attempt,
  };
  if (failure !== undefined) event.error = failure;
  if (exitCode !== undefined) event.exitCode = exitCode;
  if (task.pid !== undefined) event.pid = task.pid;
  if (task.state === "FINISHED") event.value = task.value;
  return event;
}

/** A task that failed is tried again (`handler`: the handler that asked for it, if one did). */
export function taskRetryEvent(
  run: string,
  task: TaskRun,
  error: SerialisedError,
  handler?: string,
): EngineEventOf<"task.retry"> {
  const event: Mutable<EngineEventOf<"task.retry">> = {
    type: "task.retry",
    run,
    at: Date.now(),
    taskId: task.id,
    name: task.name,
    attempt: task.attempt,
    error,
  };
  if (handler !== undefined) event.handler = handler;
  return event;
}
