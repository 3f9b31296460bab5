/** The states each task of a run went through, recorded from the run's events as they come. */
import type { Subscription } from "rxjs";
import type { EngineEvent } from "../../engine/index.js";
import type { StateChange } from "./run-source.js";

/** Records every task's state changes while the run goes on. */
export class TaskHistory {
  readonly #changes = new Map<number, StateChange[]>();
  readonly #subscription: Subscription;

  /** Starts recording; events before this call are not seen (times stand in for them). */
  constructor(events$: { subscribe(next: (event: EngineEvent) => void): Subscription }) {
    this.#subscription = events$.subscribe((event) => this.#record(event));
  }

  /** The changes of one task, oldest first; empty when none were seen. */
  of(taskId: number): readonly StateChange[] {
    return this.#changes.get(taskId) ?? [];
  }

  /** Stops recording. */
  stop(): void {
    this.#subscription.unsubscribe();
  }

  #record(event: EngineEvent): void {
    if (event.type === "task.created") this.#push(event.task.id, "PLANNED", event.at);
    else if (event.type === "task.state") {
      const label = event.attempt > 1 ? `${event.state} (attempt ${event.attempt})` : event.state;
      this.#push(event.taskId, label, event.at);
    }
  }

  #push(taskId: number, state: string, at: number): void {
    const list = this.#changes.get(taskId);
    if (list === undefined) this.#changes.set(taskId, [{ state, at }]);
    else list.push({ state, at });
  }
}

/** The history a task's times imply, when its events were not seen. */
export function historyFromTimes(task: {
  readonly state?: string;
  readonly createdAt?: number;
  readonly startedAt?: number | undefined;
  readonly endedAt?: number | undefined;
}): StateChange[] {
  const changes: StateChange[] = [];
  if (task.createdAt !== undefined) changes.push({ state: "PLANNED", at: task.createdAt });
  if (task.startedAt !== undefined) changes.push({ state: "RUNNING", at: task.startedAt });
  if (task.endedAt !== undefined && task.state !== undefined) {
    changes.push({ state: task.state, at: task.endedAt });
  }
  return changes;
}
