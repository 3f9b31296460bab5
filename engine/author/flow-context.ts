/**
 * How a task call finds the run it belongs to: each run executes its flow inside an
 * AsyncLocalStorage context, so two runs at once never mix, even across awaits.
 */
import type { DataNode } from "../model/data-node.js";
import type { TaskState } from "../model/states.js";
import type { TaskDefinition } from "./task-definition.js";
import { flowStorage } from "./flow-storage.js";

/** What a handle or socket needs to know of a scheduled task. */
export interface TaskProgress {
  readonly id: number;
  readonly name: string;
  readonly pk: number;
  readonly state: TaskState;
  /** Why the task did not finish (FAILED, SKIPPED or KILLED). */
  readonly error: unknown;
  /**
   * The socket `<socket>.<key>` when `socket` is an output namespace (throws an
   * UnknownOutputError when the namespace has no such member); undefined when it is a socket.
   */
  outputMember?(socket: string, key: string): string | undefined;
  /** The value of an output, once FINISHED. */
  outputValue(socket: string): unknown;
  /** The stored node of an output, once FINISHED. */
  outputNode(socket: string): DataNode;
  /** Resolves when the task reaches a terminal state (never rejects). */
  settled(): Promise<void>;
  /** The error that awaiting this task raises when it did not finish. */
  failure(): Error;
}

/** What a run offers to the code of its flow. */
export interface FlowScope {
  /** Schedules a call of a task; its inputs may hold futures. */
  schedule(definition: TaskDefinition, args: readonly unknown[]): TaskProgress;
  /** The run's name. */
  readonly name: string;
  /** The run's input nodes by name. */
  readonly inputNodes: ReadonlyMap<string, DataNode>;
}

/** An in-process task as the code inside it sees it. */
export interface RunningTask {
  readonly name: string;
  /** Aborted when the task is stopped (timeout, cancel, the flow failing). */
  readonly signal: AbortSignal;
}

/** The context of the code now running: the run's scope, and the task if inside one. */
export interface FlowContext {
  readonly scope: FlowScope;
  readonly task?: RunningTask;
}

/** Context for code inside an in-process task: its abort signal (set when the task is stopped). */
export function currentTask(): RunningTask | undefined {
  return flowStorage.getStore()?.task;
}
