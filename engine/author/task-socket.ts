/**
 * A future: one output of a scheduled task. Passing it to another task makes a dependency
 * edge; `await socket` gives its value; `.value` reads it once the task has finished. Indexing
 * it (`socket[1]`, `socket.key`) gives a future of that part of the value.
 */
import { inspect } from "node:util";
import { inspectSymbol } from "../model/symbols.js";
import { MissingPartError, NotReadyError } from "../model/errors.js";
import { DataNode, kindOf } from "../model/data-node.js";
import type { TaskState } from "../model/states.js";
import type { TaskProgress } from "./flow-context.js";

/** A key of a part: an array index or an object key. */
export type PartKey = string | number;

/** A socket of T whose parts are futures too: `s[1]`, `s.key` (keys a socket has need `part()`). */
export type Future<T> = TaskSocket<T> & PartsOf<T>;

/** The futures of the parts of a T. */
export type PartsOf<T> = [unknown] extends [T]
  ? unknown
  : T extends readonly (infer E)[]
    ? { readonly [index: number]: Future<E> }
    : T extends Record<string, unknown>
      ? { readonly [K in Exclude<keyof T, keyof TaskSocket | number | symbol>]: Future<T[K]> }
      : unknown;

// The socket's state lives in public fields, never private ones: it is reached through a Proxy.
// Names that libraries probe on any object (promise, JSON, test matchers, React, DOM): a
// socket answers them as a plain object would, never with a future of a part.
const PROBED = new Set(["toJSON", "constructor", "asymmetricMatch", "nodeType", "$$typeof"]);

/** The key under which a socket's Proxy gives the socket itself (see {@link socketTarget}). */
const TARGET = Symbol("workgraph.socketTarget");

function getPart(target: TaskSocket, key: string | symbol, receiver: unknown): unknown {
  if (key === TARGET) return target;
  if (typeof key === "symbol" || key in target || PROBED.has(key) || key.startsWith("@@")) {
    return Reflect.get(target, key, receiver) as unknown;
  }
  return target.part(/^(0|[1-9]\d*)$/.test(key) ? Number(key) : key);
}

/** One handler for every socket's Proxy (a handler per socket would be an object per call). */
const PARTS: ProxyHandler<TaskSocket> = { get: getPart };
/** The path of a whole output, shared: most sockets are one. */
const WHOLE: readonly PartKey[] = Object.freeze([]);

/** One output of a task, or a part of one: a future value. */
export class TaskSocket<T = unknown> implements PromiseLike<T> {
  constructor(
    /** The task that produces the value. */
    readonly task: TaskProgress,
    /** The output's name: `result`, or a declared output. */
    readonly name: string,
    /** The keys from the output's value down to this part; empty for the whole output. */
    readonly path: readonly PartKey[] = WHOLE,
  ) {
    // Indexing a socket gives a socket of the part, never a silent undefined.
    return new Proxy<this>(this, PARTS);
  }

  /** A future of a part of the value: `socket.part(1, "key")` is `socket[1].key`. */
  part<P = unknown>(...keys: readonly PartKey[]): Future<P> {
    // a key of an output namespace names a socket of its own (`outputs.stats.mean`)
    let name = this.name;
    let rest = keys;
    while (this.path.length === 0 && rest.length > 0 && this.task.outputMember !== undefined) {
      const member = this.task.outputMember(name, String(rest[0]));
      if (member === undefined) break;
      name = member;
      rest = rest.slice(1);
    }
    return new TaskSocket(this.task, name, [...this.path, ...rest]) as Future<P>;
  }

  /** `result`, `result[1].key`: the output and the path to this part. */
  get label(): string {
    return this.name + partText(this.path);
  }

  /** The producing task's state. */
  get state(): TaskState {
    return this.task.state;
  }

  /** The value; throws a {@link NotReadyError} until the task has finished. */
  get value(): T {
    if (this.task.state !== "FINISHED") {
      throw new NotReadyError(this.task.name, this.label, this.task.state);
    }
    return readPart(this);
  }

  /** The stored data node of the value, once the task has finished (a new node for a part). */
  get node(): DataNode<T> {
    if (this.task.state !== "FINISHED") {
      throw new NotReadyError(this.task.name, this.label, this.task.state);
    }
    if (this.path.length === 0) return this.task.outputNode(this.name) as DataNode<T>;
    const value = readPart(this);
    return new DataNode(kindOf(value), value);
  }

  then<A = T, B = never>(
    onFulfilled?: ((value: T) => A | PromiseLike<A>) | null,
    onRejected?: ((reason: unknown) => B | PromiseLike<B>) | null,
  ): Promise<A | B> {
    const task = this.task;
    return task
      .settled()
      .then(() => {
        if (task.state !== "FINISHED") throw task.failure();
        return readPart(this);
      })
      .then(onFulfilled, onRejected);
  }

  [inspectSymbol](): string {
    const done = this.task.state === "FINISHED";
    let shown = "";
    if (done) {
      try {
        shown = ` value: ${inspect(readPart(this))}`;
      } catch (error) {
        shown = ` ${(error as Error).message}`;
      }
    }
    return `<socket ${this.task.name}.${this.label} (${this.task.state})${shown}>`;
  }
}

// A socket not behind its Proxy (as socketTarget returns it) is its own target.
Object.defineProperty(TaskSocket.prototype, TARGET, {
  get(this: TaskSocket) {
    return this;
  },
});

/**
 * The socket behind its Proxy: the scheduler reads its fields and value there, where each
 * read through the Proxy would run its trap (and a getter would read through it again).
 */
export function socketTarget<T>(socket: TaskSocket<T>): TaskSocket<T> {
  return (socket as unknown as Record<typeof TARGET, TaskSocket<T>>)[TARGET];
}

/** `[1].key` for the path `[1, "key"]`. */
export function partText(path: readonly PartKey[]): string {
  return path
    .map((key) =>
      typeof key === "number"
        ? `[${key}]`
        : /^[A-Za-z_$][\w$]*$/.test(key)
          ? `.${key}`
          : `[${JSON.stringify(key)}]`,
    )
    .join("");
}

/** The value of a socket's part, or a {@link MissingPartError} naming the first missing key. */
function readPart<T>(socket: TaskSocket<T>): T {
  let value = socket.task.outputValue(socket.name);
  for (let i = 0; i < socket.path.length; i++) {
    const key = socket.path[i] as PartKey;
    const has = typeof value === "object" && value !== null && Object.hasOwn(value, String(key));
    if (!has) {
      throw new MissingPartError(
        socket.task.name,
        socket.name + partText(socket.path.slice(0, i + 1)),
        inspect(value, { depth: 1, breakLength: Infinity }),
      );
    }
    value = (value as Record<PartKey, unknown>)[key];
  }
  return value as T;
}
