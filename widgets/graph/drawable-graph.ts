/**
 * What the views draw: a run's graph snapshot, or a static graph of a declarative WorkGraph
 * before it runs. A {@link RunGraph} is a drawable graph as it is; a static graph's tasks have
 * no state (PLANNED) and no times.
 */
import type { RunState, TaskKind, TaskState } from "../../engine/index.js";

/** A task as the views need it: only `id` and `name` are required. */
export interface DrawableTask {
  readonly id: number;
  readonly name: string;
  /** The task function's name, shared by all its calls (`add` for `add1`). */
  readonly group?: string;
  /** PLANNED when left out (a static graph). */
  readonly state?: TaskState;
  readonly pk?: number;
  readonly kind?: TaskKind;
  readonly createdAt?: number;
  readonly startedAt?: number | undefined;
  readonly endedAt?: number | undefined;
  readonly attempt?: number;
  /** The return value, once FINISHED. */
  readonly value?: unknown;
  readonly error?: { readonly name: string; readonly message: string } | undefined;
  /** Input values by parameter name, when the source knows them. */
  readonly inputs?: Readonly<Record<string, unknown>>;
}

/** An edge: output `socket` of task `from` feeds input `input` of task `to`. */
export interface DrawableEdge {
  readonly from: number;
  readonly to: number;
  readonly socket?: string;
  readonly input?: string;
}

/** A graph to draw: a run's snapshot or a static graph. */
export interface DrawableGraph {
  readonly name: string;
  readonly pk?: number;
  /** The run's state; left out for a static graph. */
  readonly state?: RunState;
  readonly tasks: readonly DrawableTask[];
  readonly edges: readonly DrawableEdge[];
}

/** The state a task is drawn in. */
export function stateOf(task: DrawableTask): TaskState {
  return task.state ?? "PLANNED";
}

const TERMINAL_RUN_STATES: ReadonlySet<string> = new Set(["FINISHED", "EXCEPTED", "KILLED"]);

/** Whether the graph can still grow: a live run (a static graph or an ended run cannot). */
export function isLive(graph: DrawableGraph): boolean {
  return graph.state !== undefined && !TERMINAL_RUN_STATES.has(graph.state);
}

/** The edges whose ends both exist, each once, in a stable order. */
export function drawableEdges(graph: DrawableGraph): DrawableEdge[] {
  const ids = new Set(graph.tasks.map((t) => t.id));
  const seen = new Set<string>();
  const edges: DrawableEdge[] = [];
  for (const edge of graph.edges) {
    const key = `${edge.from}>${edge.to}`;
    if (edge.from === edge.to || !ids.has(edge.from) || !ids.has(edge.to) || seen.has(key)) {
      continue;
    }
    seen.add(key);
    edges.push(edge);
  }
  return edges;
}
