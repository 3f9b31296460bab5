/** A FIFO of tasks whose inputs are all finished, waiting for a free slot. */
import type { TaskRun } from "./task-run.js";

/** First in, first out, with O(1) take from the front. */
export class ReadyQueue {
  #items: TaskRun[] = [];
  #head = 0;

  /** How many tasks wait. */
  get size(): number {
    return this.#items.length - this.#head;
  }

  push(task: TaskRun): void {
    this.#items.push(task);
  }

  /** Moves up to `slots` PLANNED tasks into `into`; returns the slots left. */
  take(slots: number, into: TaskRun[]): number {
    while (slots > 0 && this.#head < this.#items.length) {
      const task = this.#items[this.#head++] as TaskRun;
      if (task.state !== "PLANNED") continue;
      into.push(task);
      slots--;
    }
    if (this.#head === this.#items.length) {
      this.#items = [];
      this.#head = 0;
    } else if (this.#head > 1024 && this.#head * 2 > this.#items.length) {
      this.#items = this.#items.slice(this.#head);
      this.#head = 0;
    }
    return slots;
  }
}
