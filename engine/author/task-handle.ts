/** What calling a task returns: the scheduled task, with its outputs as futures. */
import { inspectSymbol } from "../model/symbols.js";
import type { TaskState } from "../model/states.js";
import type { TaskProgress } from "./flow-context.js";
import { TaskSocket } from "./task-socket.js";

const NO_OUTPUTS: Record<string, TaskSocket> = Object.freeze({});

/** A scheduled task: `result` is its default output, `outputs` its declared ones. */
export class TaskHandle<R = unknown, O extends Record<string, unknown> = Record<never, never>> {
  /** The whole return value. */
  readonly result: TaskSocket<R>;
  /** One socket per declared output. */
  readonly outputs: { readonly [K in keyof O]: TaskSocket<O[K]> };

  constructor(
    readonly task: TaskProgress,
    outputNames: readonly string[] | undefined,
  ) {
    this.result = new TaskSocket<R>(task, "result");
    let outputs: Record<string, TaskSocket> = NO_OUTPUTS;
    if (outputNames !== undefined) {
      outputs = {};
      for (const name of outputNames) outputs[name] = new TaskSocket(task, name);
    }
    this.outputs = outputs as { readonly [K in keyof O]: TaskSocket<O[K]> };
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
