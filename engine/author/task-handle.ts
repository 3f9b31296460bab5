/** What calling a task returns: the scheduled task, with its outputs as futures. */
import { UnknownOutputError } from "../model/errors.js";
import * as messages from "../model/messages.js";
import { inspectSymbol } from "../model/symbols.js";
import type { TaskState } from "../model/states.js";
import type { TaskProgress } from "./flow-context.js";
import { knownMembers, memberOf, type OutputLayout } from "./output-layout.js";
import { TaskSocket, type Future } from "./task-socket.js";
import { isProbed } from "./probed-names.js";

/** A scheduled task: `result` is its default output, `outputs` its declared ones. */
export class TaskHandle<R = unknown, O extends Record<string, unknown> = Record<never, never>> {
  /** The whole return value; `result[1]`, `result.key` are futures of its parts. */
  readonly result: Future<R>;
  readonly #layout: OutputLayout | undefined;
  #outputs: { readonly [K in keyof O]: Future<O[K]> } | undefined = undefined;

  constructor(
    readonly task: TaskProgress,
    layout: OutputLayout | undefined,
  ) {
    this.#layout = layout;
    this.result = new TaskSocket<R>(task, "result") as Future<R>;
  }

  /**
   * One socket per output: declared ones, a namespace's members (`outputs.stats.mean`), any
   * key of a dynamic task. A name the task cannot have throws an {@link UnknownOutputError}.
   * Made on first use: most calls only pass `result` on.
   */
  get outputs(): { readonly [K in keyof O]: Future<O[K]> } {
    return (this.#outputs ??= outputSockets(this.task, this.#layout) as {
      readonly [K in keyof O]: Future<O[K]>;
    });
  }

  /** The task's unique name in its run: `add`, `add1`, … */
  get name(): string {
    return this.task.name;
  }

  /** The task node's pk in the store. */
  get pk(): number {
    return this.task.pk;
  }

  get state(): TaskState {
    return this.task.state;
  }

  [inspectSymbol](): string {
    return `<task ${this.task.name} (pk: ${this.task.pk}) ${this.task.state}>`;
  }
}

/** The outputs object: a socket made on first use for each name the layout allows. */
function outputSockets(
  task: TaskProgress,
  layout: OutputLayout | undefined,
): Record<string, TaskSocket> {
  const made: Record<string, TaskSocket> = {};
  return new Proxy(made, {
    get(target, key, receiver) {
      if (isProbed(key) || key in target) {
        return Reflect.get(target, key, receiver) as unknown;
      }
      const label = layout === undefined ? null : memberOf(layout, "", key);
      if (label === null || label === undefined) {
        const known = layout === undefined ? [] : knownMembers(layout, "");
        throw new UnknownOutputError(task.name, key, messages.unknownOutput(task.name, key, known));
      }
      return (target[key] = new TaskSocket(task, label));
    },
  });
}
