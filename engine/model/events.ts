/**
 * The engine's events: one map from event name to payload. The event union and the exhaustive
 * handler map are derived from it, so a new event cannot be forgotten by any consumer.
 */
import type { SerialisedError } from "./error-serialisation.js";
import type { RunState, TaskState } from "./states.js";

/** How a task runs: on the event loop, in a worker process, as a flow of its own (a child run), or as a command. */
export type TaskKind = "in-process" | "job" | "flow" | "shell";

/** Where one input of a task comes from. */
export type InputSource =
  | {
      readonly from: "task";
      readonly task: number;
      readonly socket: string;
      readonly path: string;
      /** The part of the output taken, when not all of it: `[1]`, `.key`. */
      readonly part?: string;
    }
  | { readonly from: "data"; readonly pk: number; readonly path: string };

/** A task as it is created: its place in the run and where its inputs come from. */
export interface TaskCreated {
  readonly id: number;
  readonly pk: number;
  readonly name: string;
  /** The task function's name, shared by all its calls (`add` for `add`, `add1`…). */
  readonly group: string;
  readonly kind: TaskKind;
  readonly sources: readonly InputSource[];
}

/** One report line, in the spirit of AiiDA's process reports. */
export interface ReportLine {
  readonly at: number;
  readonly level: "REPORT" | "WARNING" | "ERROR";
  readonly runPk: number;
  readonly step: string;
  readonly message: string;
  /** The whole line as printed, timestamp included. */
  readonly text: string;
  /** Set on a line a task printed (`console.log` in a job): the task, stored with it. */
  readonly task?: { readonly pk: number; readonly name: string };
}

/** Every event, by name, with its payload. */
export interface EngineEvents {
  "run.state": {
    readonly runPk: number;
    readonly name: string;
    readonly state: RunState;
    readonly previous: RunState | undefined;
    readonly exitCode?: number;
    readonly error?: SerialisedError;
  };
  /** The run was paused (no task starts) or played again. */
  "run.paused": { readonly runPk: number; readonly paused: boolean };
  "task.created": { readonly task: TaskCreated };
  "task.state": {
    readonly taskId: number;
    readonly name: string;
    readonly state: TaskState;
    readonly previous: TaskState;
    readonly attempt: number;
    readonly error?: SerialisedError;
    /** The exit code of a FAILED task whose failure had one (a command's exit, a TaskExitError). */
    readonly exitCode?: number;
    readonly pid?: number;
    /** The task's return value, when the new state is FINISHED. */
    readonly value?: unknown;
  };
  "task.retry": {
    readonly taskId: number;
    readonly name: string;
    readonly attempt: number;
    readonly error: SerialisedError;
    /** The handler that asked for the retry, when one did. */
    readonly handler?: string;
  };
  report: { readonly line: ReportLine };
}

/** The name of an event. */
export type EngineEventType = keyof EngineEvents;

/** One event: its `type`, the run it belongs to, when it happened, and its payload. */
export type EngineEvent = {
  [K in EngineEventType]: {
    readonly type: K;
    readonly run: string;
    readonly at: number;
  } & EngineEvents[K];
}[EngineEventType];

/** The event of one type. */
export type EngineEventOf<K extends EngineEventType> = Extract<EngineEvent, { type: K }>;

/** A handler for every event type: adding an event makes every such map fail to compile. */
export type EngineEventHandlers<R = void> = {
  readonly [K in EngineEventType]: (event: EngineEventOf<K>) => R;
};

/** Calls the handler for an event's type. */
export function handleEvent<R>(event: EngineEvent, handlers: EngineEventHandlers<R>): R {
  const handler = handlers[event.type] as (e: EngineEvent) => R;
  return handler(event);
}
