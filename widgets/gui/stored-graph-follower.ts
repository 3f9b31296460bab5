/**
 * A run followed by reading it back from a store: a store has no events to subscribe to
 * across processes, so each read is compared with the last one (per task: state, attempt,
 * times; per edge: whether it was seen) to tell what changed.
 */
import type { DrawableEdge, DrawableGraph, DrawableTask } from "../graph/drawable-graph.js";
import type { DrawableChanges, FollowedGraph } from "./run-source.js";

/** The graph of a stored run, read again by `refresh()`. */
export class StoredGraphFollower implements FollowedGraph {
  #graph: DrawableGraph;
  #last = new Map<number, string>();
  readonly #edgesSeen = new Set<string>();

  constructor(
    private readonly read: () => DrawableGraph | undefined,
    first: DrawableGraph,
  ) {
    this.#graph = first;
    this.takeChanges();
  }

  /** Reads the run again. */
  refresh(): void {
    this.#graph = this.read() ?? this.#graph;
  }

  graph(): DrawableGraph {
    return this.#graph;
  }

  takeChanges(): DrawableChanges {
    const tasks: DrawableTask[] = [];
    const running: DrawableTask[] = [];
    const last = new Map<number, string>();
    for (const task of this.#graph.tasks) {
      const mark = `${task.state}|${task.attempt}|${task.startedAt}|${task.endedAt}`;
      last.set(task.id, mark);
      if (this.#last.get(task.id) !== mark) tasks.push(task);
      if (task.state === "RUNNING") running.push(task);
    }
    this.#last = last;
    const edges: DrawableEdge[] = [];
    for (const edge of this.#graph.edges) {
      const key = `${edge.from}>${edge.to}:${edge.input}`;
      if (this.#edgesSeen.has(key)) continue;
      this.#edgesSeen.add(key);
      edges.push(edge);
    }
    return { state: this.#graph.state, tasks, edges, running };
  }
}
