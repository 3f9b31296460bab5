/** What calling a task returns: the scheduled task, with its outputs as futures. */
import { inspectSymbol } from "../model/symbols.js";
import type { TaskState } from "../model/states.js";
import type { TaskProgress } from "./flow-context.js";
import { TaskSocket, type Future } from "./task-socket.js";

const NO_OUTPUTS: Record<string, TaskSocket> = Object.freeze({});

/** A scheduled task: `result` is its default output, `outputs` its declared ones. */
export class TaskHandle<R = unknown, O extends Record<string, unknown> = Record<never, never>> {
  /** The whole return value; `result[1]`, `result.key` are futures of its parts. */
  readonly result: Future<R>;
  /** One socket per declared output. */
  readonly outputs: { readonly [K in keyof O]: Future<O[K]> };

  constructor(
    readonly task: TaskProgress,
    outputNames: readonly string[] | undefined,
    /** Whether every key of the returned object is an output (flows, `outputs: "dynamic"`). */
    dynamic = false,
  ) {
    this.result = new TaskSocket<R>(task, "result") as Future<R>;
    let outputs: Record<string, TaskSocket> = NO_OUTPUTS;
    if (outputNames !== undefined || dynamic) {
      outputs = {};
      for (const name of outputNames ?? []) outputs[name] = new TaskSocket(task, name);
    }
    if (dynamic) outputs = dynamicOutputs(task, outputs);
    this.outputs = outputs as { readonly [K in keyof O]: Future<O[K]> };
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

/** Outputs whose sockets are made on first use, one per key the task will return. */
function dynamicOutputs(
  task: TaskProgress,
  declared: Record<string, TaskSocket>,
): Record<string, TaskSocket> {
  return new Proxy(declared, {
    get(target, key, receiver) {
      if (typeof key === "symbol" || key in target || key === "toJSON" || key === "then") {
        return Reflect.get(target, key, receiver) as unknown;
      }
      return (target[key] = new TaskSocket(task, key));
    },
  });
}
