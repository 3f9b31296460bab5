/**
 * Starts ready tasks within the run's and the job pool's limits: tasks whose inputs are all
 * finished wait in two FIFO queues (in-process, jobs) and start in rounds on a microtask, each
 * round announced before its tasks start.
 */
import type { JobExecutor } from "../execute/executor.js";
import { ReadyQueue } from "./ready-queue.js";
import type { TaskRun } from "./task-run.js";

/** What the dispatcher calls back. */
export interface DispatchHooks {
  /** A round of tasks is about to start. */
  announce(batch: readonly TaskRun[]): void;
  /** Starts one task; it counts as running until `release`. */
  begin(task: TaskRun): void;
}

/** The ready queues and running counts of one run. */
export class Dispatcher {
  readonly #local = new ReadyQueue();
  readonly #jobs = new ReadyQueue();
  #scheduled = false;
  #draining = false;
  #running = 0;
  #runningJobs = 0;
  #paused = false;

  constructor(
    private readonly maxConcurrency: number,
    private readonly jobs: () => JobExecutor,
    private readonly hooks: DispatchHooks,
  ) {}

  /** A task whose inputs are all finished. */
  ready(task: TaskRun): void {
    (task.definition.kind === "job" ? this.#jobs : this.#local).push(task);
    this.#schedule();
  }

  /** Whether ready tasks wait instead of starting. */
  get paused(): boolean {
    return this.#paused;
  }

  /** Ready tasks wait; tasks already started go on. */
  pause(): void {
    this.#paused = true;
  }

  /** Ready tasks start again. */
  play(): void {
    this.#paused = false;
    if (this.#local.size > 0 || this.#jobs.size > 0) this.#schedule();
  }

  /** A started task is done (or stopped): its slot is free. */
  release(task: TaskRun): void {
    this.#running--;
    if (task.definition.kind === "job") this.#runningJobs--;
    if (this.#local.size > 0 || this.#jobs.size > 0) this.#schedule();
  }

  #schedule(): void {
    if (this.#draining || this.#scheduled) return;
    this.#scheduled = true;
    queueMicrotask(() => this.#drain());
  }

  #drain(): void {
    this.#scheduled = false;
    this.#draining = true;
    for (let batch = this.#take(); batch.length > 0; batch = this.#take()) {
      this.hooks.announce(batch);
      for (const task of batch) {
        if (task.state !== "PLANNED") continue;
        this.#running++;
        if (task.definition.kind === "job") this.#runningJobs++;
        this.hooks.begin(task);
      }
    }
    this.#draining = false;
  }

  /** The ready tasks that fit the limits now. */
  #take(): TaskRun[] {
    const batch: TaskRun[] = [];
    if (this.#paused) return batch;
    const slots = this.#local.take(this.maxConcurrency - this.#running, batch);
    if (this.#jobs.size > 0 && slots > 0) {
      const jobs = this.jobs();
      const capacity = jobs.capacity ?? jobs.concurrency;
      this.#jobs.take(Math.min(slots, capacity - this.#runningJobs), batch);
    }
    return batch;
  }
}
