/**
 * A future: one output of a scheduled task. Passing it to another task makes a dependency
 * edge; `await socket` gives its value; `.value` reads it once the task has finished.
 */
import { inspect } from "node:util";
import { inspectSymbol } from "../model/symbols.js";
import { NotReadyError } from "../model/errors.js";
import type { DataNode } from "../model/data-node.js";
import type { TaskState } from "../model/states.js";
import type { TaskProgress } from "./flow-context.js";

/** One output of a task: a future value. */
export class TaskSocket<T = unknown> implements PromiseLike<T> {
  constructor(
    /** The task that produces the value. */
    readonly task: TaskProgress,
    /** The output's name: `result`, or a declared output. */
    readonly name: string,
  ) {}

  /** The producing task's state. */
  get state(): TaskState {
    return this.task.state;
  }

  /** The value; throws a {@link NotReadyError} until the task has finished. */
  get value(): T {
    if (this.task.state !== "FINISHED") {
      throw new NotReadyError(this.task.name, this.name, this.task.state);
    }
    return this.task.outputValue(this.name) as T;
  }

  /** The stored data node of the value, once the task has finished. */
  get node(): DataNode<T> {
    if (this.task.state !== "FINISHED") {
      throw new NotReadyError(this.task.name, this.name, this.task.state);
    }
    return this.task.outputNode(this.name) as DataNode<T>;
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
        return task.outputValue(this.name) as T;
      })
      .then(onFulfilled, onRejected);
  }

  [inspectSymbol](): string {
    const done = this.task.state === "FINISHED";
    return `<socket ${this.task.name}.${this.name} (${this.task.state})${done ? ` value: ${inspect(this.task.outputValue(this.name))}` : ""}>`;
  }
}
