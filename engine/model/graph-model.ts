/**
 * A run's graph folded from its events: what a view keeps instead of asking the run for
 * snapshots. It starts from one snapshot (taken when the view subscribes) and applies each
 * event after it, so the same code follows a run in this process, in a daemon, or on another
 * machine, wherever its events come from.
 */
import type { EngineEvent } from "./events.js";
import type { GraphEdge, GraphTask, RunGraph } from "./run-graph.js";
import { isTerminalTask, type RunState } from "./states.js";

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** What changed in a graph since the last time it was asked. */
export interface GraphChanges {
  readonly state: RunState;
  /** Tasks that are new or changed, in call order. */
  readonly tasks: readonly GraphTask[];
  /** Edges into the new tasks (a task's edges all come with its creation). */
  readonly edges: readonly GraphEdge[];
  /** Tasks running now (their times move with the clock). */
  readonly running: readonly GraphTask[];
}

/** A run's graph, kept up to date by {@link GraphModel.apply}. */
export class GraphModel {
  readonly name: string;
  readonly pk: number;
  #state: RunState;
  readonly #tasks: GraphTask[];
  readonly #edges: GraphEdge[];
  readonly #running = new Set<number>();
  #changed = new Set<number>();
  #edgesSent: number;

  constructor(snapshot: RunGraph) {
    this.name = snapshot.name;
    this.pk = snapshot.pk;
    this.#state = snapshot.state;
    this.#tasks = [...snapshot.tasks];
    this.#edges = [...snapshot.edges];
    this.#edgesSent = this.#edges.length;
    for (const task of this.#tasks) if (task.state === "RUNNING") this.#running.add(task.id);
  }

  /** The run's state as last seen. */
  get state(): RunState {
    return this.#state;
  }

  /** How many tasks the run has called. */
  get size(): number {
    return this.#tasks.length;
  }

  /** Folds one event in; answers whether the graph changed. */
  apply(event: EngineEvent): boolean {
    switch (event.type) {
      case "run.state":
        this.#state = event.state;
        return true;
      case "task.created": {
        const created = event.task;
        if (created.id < this.#tasks.length) return false; // already in the snapshot
        this.#tasks.push({
          id: created.id,
          pk: created.pk,
          name: created.name,
          group: created.group,
          kind: created.kind,
          state: "PLANNED",
          createdAt: event.at,
          startedAt: undefined,
          endedAt: undefined,
          attempt: 1,
          value: undefined,
          error: undefined,
        });
        for (const source of created.sources) {
          if (source.from !== "task") continue;
          this.#edges.push({
            from: source.task,
            to: created.id,
            socket: source.socket + (source.part ?? ""),
            input: source.path,
          });
        }
        this.#changed.add(created.id);
        return true;
      }
      case "task.state": {
        const task = this.#tasks[event.taskId];
        if (task === undefined) return false;
        const next: Mutable<GraphTask> = { ...task, state: event.state, attempt: event.attempt };
        if (event.state === "RUNNING") {
          next.startedAt = event.at;
          next.endedAt = undefined;
          this.#running.add(task.id);
        } else {
          this.#running.delete(task.id);
          if (isTerminalTask(event.state)) next.endedAt = event.at;
        }
        if (event.pid !== undefined) next.pid = event.pid;
        next.error = event.error;
        next.value = event.state === "FINISHED" ? event.value : undefined;
        this.#tasks[event.taskId] = next;
        this.#changed.add(task.id);
        return true;
      }
      case "task.retry":
      case "run.paused":
      case "report":
        return false;
    }
  }

  /** The graph now (arrays copied, so it stays as it is while the model moves on). */
  graph(): RunGraph {
    return {
      name: this.name,
      pk: this.pk,
      state: this.#state,
      tasks: [...this.#tasks],
      edges: [...this.#edges],
    };
  }

  /** What changed since the last call (or since the snapshot), and what is running now. */
  takeChanges(): GraphChanges {
    const ids = [...this.#changed].sort((a, b) => a - b);
    this.#changed = new Set();
    const edges = this.#edges.slice(this.#edgesSent);
    this.#edgesSent = this.#edges.length;
    return {
      state: this.#state,
      tasks: ids.map((id) => this.#tasks[id] as GraphTask),
      edges,
      running: [...this.#running].map((id) => this.#tasks[id] as GraphTask),
    };
  }
}
