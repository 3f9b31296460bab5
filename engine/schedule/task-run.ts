/** One call of a task inside a run: its state, inputs, outputs and waiters. */
import { TaskFailedError, UnknownOutputError } from "../model/errors.js";
import * as messages from "../model/messages.js";
import { DataNode, kindOf } from "../model/data-node.js";
import type { InputSource } from "../model/events.js";
import { canMoveTask, isTerminalTask, type TaskState } from "../model/states.js";
import type { TaskProgress } from "../author/flow-context.js";
import type { TaskDefinition } from "../author/task-definition.js";
import { taskName } from "./task-names.js";
import {
  knownMembers,
  memberOf,
  socketsOf,
  valueAt,
  type OutputLayout,
} from "../author/output-layout.js";

/** No tasks: the dependents of a task nothing waits for (most of a fan-out's). */
const NO_TASKS: readonly TaskRun[] = Object.freeze([]);

/** What few tasks need: an error, a process, a signal, waiters, handler retries. */
interface RareParts {
  error: unknown;
  pid: number | undefined;
  abort: AbortController | undefined;
  settled: Promise<void> | undefined;
  settle: (() => void) | undefined;
  failure: Error | undefined;
  handledBy: Map<number, number> | undefined;
}

/**
 * Times are kept as ms since this module loaded: small integers, which V8 keeps in the field
 * itself, where an epoch time (~1.8e12) is a separate 16-byte number per field and task.
 */
const EPOCH = Date.now();

/** `at` as ms since {@link EPOCH}: an int32 (a small integer to V8) for 24 days, then a double. */
function sinceEpoch(at: number): number {
  const ms = at - EPOCH;
  return ms >= 0 && ms <= 0x3fffffff ? ms | 0 : ms;
}

/**
 * A scheduled task as the scheduler tracks it. A run holds one per call until it ends, so its
 * fields are few: what most tasks never use lives in a part made on first use.
 */
export class TaskRun implements TaskProgress {
  state: TaskState = "PLANNED";
  /** 1 for the first try, then counts retries. */
  attempt = 1;
  /** Inputs that are not yet FINISHED. */
  waitingOn = 0;
  /** The arguments with futures replaced by values, once started. */
  resolvedArgs: readonly unknown[] | undefined = undefined;
  #created: number;
  #started = -1;
  #ended = -1;
  /** One dependent as itself (the usual case), more in an array. */
  #dependents: TaskRun | TaskRun[] | undefined = undefined;
  #value: unknown = undefined;
  /** The output nodes: a lone `result` node as itself (most tasks), more in a Map. */
  #outputs: DataNode | Map<string, DataNode> | undefined = undefined;
  #rare: RareParts | undefined = undefined;
  /** Which call of its function in the run: the name is made from it when asked for. */
  readonly #copy: number;

  constructor(
    readonly id: number,
    /** 0 for the first call of its function in the run, then 1, 2, … (see {@link taskName}). */
    copy: number,
    readonly pk: number,
    readonly definition: TaskDefinition,
    readonly args: readonly unknown[],
    readonly sources: readonly InputSource[],
    /** Whether any argument holds a socket or a data node to resolve. */
    readonly hasFutures: boolean,
    createdAt: number,
  ) {
    this.#created = sinceEpoch(createdAt);
    this.#copy = copy;
  }

  /** The task's unique name in its run: `add`, `add1`, … (made on each read, kept by none). */
  get name(): string {
    return taskName(this.definition.name, this.#copy);
  }

  get createdAt(): number {
    return this.#created + EPOCH;
  }

  get startedAt(): number | undefined {
    return this.#started < 0 ? undefined : this.#started + EPOCH;
  }

  get endedAt(): number | undefined {
    return this.#ended < 0 ? undefined : this.#ended + EPOCH;
  }

  // Static, as is `keepNode`: a private instance method would cost every task a field.
  static #parts(task: TaskRun): RareParts {
    return (task.#rare ??= {
      error: undefined,
      pid: undefined,
      abort: undefined,
      settled: undefined,
      settle: undefined,
      failure: undefined,
      handledBy: undefined,
    });
  }

  /** Why the task did not finish (FAILED, SKIPPED or KILLED). */
  get error(): unknown {
    return this.#rare?.error;
  }

  set error(error: unknown) {
    TaskRun.#parts(this).error = error;
  }

  /** The worker process of a running job. */
  get pid(): number | undefined {
    return this.#rare?.pid;
  }

  set pid(pid: number | undefined) {
    TaskRun.#parts(this).pid = pid;
  }

  /** Tasks whose inputs include an output of this one. */
  get dependents(): readonly TaskRun[] {
    const dependents = this.#dependents;
    if (dependents === undefined) return NO_TASKS;
    return dependents instanceof TaskRun ? [dependents] : dependents;
  }

  /** This task finished: calls `ready` for each dependent that now waits on no other task. */
  readyDependents(ready: (dependent: TaskRun) => void): void {
    const dependents = this.#dependents;
    if (dependents === undefined) return;
    if (dependents instanceof TaskRun) {
      if (--dependents.waitingOn === 0 && dependents.state === "PLANNED") ready(dependents);
      return;
    }
    for (const dependent of dependents) {
      if (--dependent.waitingOn === 0 && dependent.state === "PLANNED") ready(dependent);
    }
  }

  /** How many retries each handler (by index) has asked for. */
  get handledBy(): Map<number, number> {
    return (TaskRun.#parts(this).handledBy ??= new Map());
  }

  /**
   * Waits for the unfinished producers of its inputs; returns one that ended without
   * finishing (then this task cannot run), if any.
   */
  dependOn(producers: readonly TaskRun[]): TaskRun | undefined {
    for (const producer of producers) {
      if (producer.state === "FINISHED") continue;
      if (isTerminalTask(producer.state)) return producer;
      this.waitingOn++;
      const dependents = producer.#dependents;
      if (dependents === undefined) producer.#dependents = this;
      else if (dependents instanceof TaskRun) producer.#dependents = [dependents, this];
      else dependents.push(this);
    }
    return undefined;
  }

  /** Moves to a new state; a move the state machine forbids is a bug and throws. */
  moveTo(state: TaskState, at: number): TaskState {
    const previous = this.state;
    if (!canMoveTask(previous, state)) {
      throw new Error(`Task ${this.name}: no move from ${previous} to ${state}`);
    }
    this.state = state;
    if (state === "RUNNING") this.#started = sinceEpoch(at);
    if (isTerminalTask(state)) {
      this.#ended = sinceEpoch(at);
      this.#rare?.settle?.();
    }
    return previous;
  }

  /** Aborted when the running attempt is stopped; made on first use, as most tasks never ask. */
  get signal(): AbortSignal {
    return (TaskRun.#parts(this).abort ??= new AbortController()).signal;
  }

  /** Stops the running attempt: aborts its signal, if anyone took it. */
  stop(reason: Error): void {
    this.#rare?.abort?.abort(reason);
  }

  /** A fresh signal for the next attempt. */
  newAttempt(): void {
    if (this.#rare !== undefined) this.#rare.abort = undefined;
  }

  /** Keeps the return value and its output nodes (`nodes`, or a lone `result` node). */
  finishWith(
    value: unknown,
    nodes: ReadonlyMap<string, DataNode> | undefined,
    result?: DataNode,
  ): void {
    this.#value = value;
    if (result !== undefined) TaskRun.#keepNode(this, "result", result);
    if (nodes !== undefined)
      for (const [socket, node] of nodes) TaskRun.#keepNode(this, socket, node);
  }

  /** A lone `result` node is kept as it is; more nodes go in a Map, in the order made. */
  static #keepNode(task: TaskRun, socket: string, node: DataNode): void {
    const outputs = task.#outputs;
    if (outputs instanceof Map) {
      outputs.set(socket, node);
      return;
    }
    if (socket === "result") {
      task.#outputs = node;
      return;
    }
    const nodes = new Map<string, DataNode>();
    if (outputs !== undefined) nodes.set("result", outputs);
    nodes.set(socket, node);
    task.#outputs = nodes;
  }

  outputMember(socket: string, key: string): string | undefined {
    const layout = this.definition.outputLayout;
    const member =
      layout === undefined || socket === "result" ? undefined : memberOf(layout, socket, key);
    if (member !== null) return member;
    const output = `${socket}.${key}`;
    const known = knownMembers(layout as OutputLayout, socket).map((k) => `${socket}.${k}`);
    throw new UnknownOutputError(
      this.name,
      output,
      messages.unknownOutput(this.name, output, known),
    );
  }

  outputValue(socket: string): unknown {
    if (socket === "result") return this.#value;
    const at = valueAt(this.#value, socket);
    if (!at.found) {
      const returned =
        this.definition.outputLayout === undefined
          ? []
          : socketsOf(this.definition.outputLayout, this.#value);
      throw new UnknownOutputError(
        this.name,
        socket,
        messages.missingDynamicOutput(this.name, socket, returned),
      );
    }
    return at.value;
  }

  outputNode(socket: string): DataNode {
    const outputs = this.#outputs;
    let node =
      outputs instanceof Map ? outputs.get(socket) : socket === "result" ? outputs : undefined;
    if (node === undefined) {
      const value = this.outputValue(socket);
      node = new DataNode(kindOf(value), value);
      TaskRun.#keepNode(this, socket, node);
    }
    return node;
  }

  /** Every output node made so far, by socket name. */
  outputNodes(): ReadonlyMap<string, DataNode> {
    const outputs = this.#outputs;
    if (outputs instanceof Map) return outputs;
    return new Map(outputs === undefined ? [] : [["result", outputs]]);
  }

  /** The return value, once FINISHED. */
  get value(): unknown {
    return this.#value;
  }

  settled(): Promise<void> {
    const parts = TaskRun.#parts(this);
    if (parts.settled === undefined) {
      parts.settled = isTerminalTask(this.state)
        ? Promise.resolve()
        : new Promise<void>((resolve) => (parts.settle = resolve));
    }
    return parts.settled;
  }

  failure(): Error {
    const parts = TaskRun.#parts(this);
    parts.failure ??= new TaskFailedError(this.name, this.pk, this.state, this.error);
    return parts.failure;
  }
}
