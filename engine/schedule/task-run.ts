/** One call of a task inside a run: its state, inputs, outputs and waiters. */
import { TaskFailedError, UnknownOutputError } from "../model/errors.js";
import * as messages from "../model/messages.js";
import { DataNode, kindOf } from "../model/data-node.js";
import type { InputSource } from "../model/events.js";
import { canMoveTask, isTerminalTask, type TaskState } from "../model/states.js";
import type { TaskProgress } from "../author/flow-context.js";
import type { TaskDefinition } from "../author/task-definition.js";
import {
  knownMembers,
  memberOf,
  socketsOf,
  valueAt,
  type OutputLayout,
} from "../author/output-layout.js";

/** A scheduled task as the scheduler tracks it. */
export class TaskRun implements TaskProgress {
  state: TaskState = "PLANNED";
  error: unknown = undefined;
  /** 1 for the first try, then counts retries. */
  attempt = 1;
  startedAt: number | undefined = undefined;
  endedAt: number | undefined = undefined;
  /** The worker process of a running job. */
  pid: number | undefined = undefined;
  /** Inputs that are not yet FINISHED. */
  waitingOn = 0;
  /** Tasks whose inputs include an output of this one. */
  readonly dependents: TaskRun[] = [];
  /** How many retries each handler (by index) has asked for. */
  readonly handledBy = new Map<number, number>();
  /** The arguments with futures replaced by values, once started. */
  resolvedArgs: readonly unknown[] | undefined = undefined;
  #abort: AbortController | undefined = undefined;
  #value: unknown = undefined;
  #nodes: Map<string, DataNode> | undefined = undefined;
  #settled: Promise<void> | undefined = undefined;
  #settle: (() => void) | undefined = undefined;
  #failure: Error | undefined = undefined;

  constructor(
    readonly id: number,
    readonly name: string,
    readonly pk: number,
    readonly definition: TaskDefinition,
    readonly args: readonly unknown[],
    readonly sources: readonly InputSource[],
    /** Whether any argument holds a socket or a data node to resolve. */
    readonly hasFutures: boolean,
    readonly createdAt: number,
  ) {}

  /**
   * Waits for the unfinished producers of its inputs; returns one that ended without
   * finishing (then this task cannot run), if any.
   */
  dependOn(producers: readonly TaskRun[]): TaskRun | undefined {
    for (const producer of producers) {
      if (producer.state === "FINISHED") continue;
      if (isTerminalTask(producer.state)) return producer;
      this.waitingOn++;
      producer.dependents.push(this);
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
    if (state === "RUNNING") this.startedAt = at;
    if (isTerminalTask(state)) {
      this.endedAt = at;
      this.#settle?.();
    }
    return previous;
  }

  /** Aborted when the running attempt is stopped; made on first use, as most tasks never ask. */
  get signal(): AbortSignal {
    return (this.#abort ??= new AbortController()).signal;
  }

  /** Stops the running attempt: aborts its signal, if anyone took it. */
  stop(reason: Error): void {
    this.#abort?.abort(reason);
  }

  /** A fresh signal for the next attempt. */
  newAttempt(): void {
    this.#abort = undefined;
  }

  /** Keeps the return value; output nodes are made when first asked for. */
  finishWith(value: unknown, nodes: Map<string, DataNode>): void {
    this.#value = value;
    this.#nodes = nodes;
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
    let node = this.#nodes?.get(socket);
    if (node === undefined) {
      const value = this.outputValue(socket);
      node = new DataNode(kindOf(value), value);
      (this.#nodes ??= new Map()).set(socket, node);
    }
    return node;
  }

  /** Every output node made so far, by socket name. */
  outputNodes(): ReadonlyMap<string, DataNode> {
    return this.#nodes ?? new Map();
  }

  /** The return value, once FINISHED. */
  get value(): unknown {
    return this.#value;
  }

  settled(): Promise<void> {
    if (this.#settled === undefined) {
      this.#settled = isTerminalTask(this.state)
        ? Promise.resolve()
        : new Promise<void>((resolve) => (this.#settle = resolve));
    }
    return this.#settled;
  }

  failure(): Error {
    this.#failure ??= new TaskFailedError(this.name, this.pk, this.state, this.error);
    return this.#failure;
  }
}
