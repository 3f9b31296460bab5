/**
 * The rows a DAG spec draws: one per node (box, label, tooltip fields) and one per edge
 * segment. Named datasets, so a live page can change single rows with vega changesets.
 */
import type { TaskState } from "../../engine/index.js";
import {
  drawableEdges,
  stateOf,
  type DrawableEdge,
  type DrawableGraph,
  type DrawableTask,
} from "../graph/drawable-graph.js";
import { taskDuration } from "../graph/format.js";
import { previewInputs, previewOutcome } from "../graph/preview.js";
import { NODE_HEIGHT, NODE_WIDTH, type GraphLayout, type Point } from "../layout/graph-layout.js";

/** One node of the DAG: its box in layout pixels and what its tooltip says. */
export interface NodeDatum {
  readonly id: number;
  readonly name: string;
  readonly state: TaskState;
  readonly kind: string;
  readonly pk: number | null;
  readonly x: number;
  readonly y: number;
  readonly x1: number;
  readonly x2: number;
  readonly y1: number;
  readonly y2: number;
  /** When it started, in ms since the epoch (formatted by the viewer, in its time zone). */
  readonly start: number | null;
  /**
   * How long it ran, once ended. Empty while it runs: the viewer computes "so far" itself, so
   * a running task's row does not change with the clock (and a live page is not resent it).
   */
  readonly duration: string;
  readonly attempt: number;
  readonly inputs: string;
  readonly outputs: string;
}

/** One straight segment of an edge; the last segment of each edge carries the arrow head. */
export interface EdgeDatum {
  readonly from: number;
  readonly to: number;
  readonly x: number;
  readonly y: number;
  readonly x2: number;
  readonly y2: number;
  readonly head: boolean;
}

/** The node rows of the tasks that have a place in the layout. */
export function nodeData(graph: DrawableGraph, layout: GraphLayout): NodeDatum[] {
  const names = new Map(graph.tasks.map((t) => [t.id, t.name]));
  const nameOf = (id: number): string => names.get(id) ?? `#${id}`;
  const incoming = new Map<number, DrawableEdge[]>();
  for (const edge of drawableEdges(graph)) {
    const list = incoming.get(edge.to);
    if (list === undefined) incoming.set(edge.to, [edge]);
    else list.push(edge);
  }
  const rows: NodeDatum[] = [];
  for (const task of graph.tasks) {
    const centre = layout.nodes.get(task.id);
    if (centre !== undefined) rows.push(nodeDatum(task, centre, incoming, nameOf));
  }
  return rows;
}

/** The row of one task, for a changeset that updates just that node. */
export function nodeDatum(
  task: DrawableTask,
  centre: Point,
  incoming: ReadonlyMap<number, readonly DrawableEdge[]>,
  nameOf: (id: number) => string,
): NodeDatum {
  return {
    id: task.id,
    name: task.name,
    state: stateOf(task),
    kind: task.kind ?? "",
    pk: task.pk ?? null,
    x: round(centre.x),
    y: round(centre.y),
    x1: round(centre.x - NODE_WIDTH / 2),
    x2: round(centre.x + NODE_WIDTH / 2),
    y1: round(centre.y - NODE_HEIGHT / 2),
    y2: round(centre.y + NODE_HEIGHT / 2),
    start: task.startedAt ?? null,
    duration:
      task.endedAt !== undefined ? taskDuration(task.startedAt, task.endedAt, task.endedAt) : "",
    attempt: task.attempt ?? 1,
    inputs: previewInputs(task, incoming.get(task.id) ?? [], nameOf),
    outputs: previewOutcome(task),
  };
}

/** One row per segment of every routed edge. */
export function edgeData(layout: GraphLayout): EdgeDatum[] {
  const rows: EdgeDatum[] = [];
  for (const route of layout.edges) {
    const last = route.points.length - 2;
    for (let i = 0; i <= last; i++) {
      const a = route.points[i] as Point;
      const b = route.points[i + 1] as Point;
      rows.push({
        from: route.from,
        to: route.to,
        x: round(a.x),
        y: round(a.y),
        x2: round(b.x),
        y2: round(b.y),
        head: i === last,
      });
    }
  }
  return rows;
}

/** Layout coordinates to a tenth of a pixel: smaller specs, stable golden files. */
function round(value: number): number {
  return Math.round(value * 10) / 10;
}
