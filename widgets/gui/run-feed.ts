/**
 * What the page receives for one open run: both views at once, then patches with the rows
 * of what changed, a few times a second while the run goes on. The source folds the run's
 * events into a model of its graph that says what changed since it was last asked, so a patch
 * costs what changed, not the size of the run. A run that is live when opened keeps an
 * append-only layout, so patches only add nodes and edges and change states: the user's zoom
 * and selection survive every update. A run of more than `FOLD_ABOVE` tasks is drawn as the
 * notebook draws it, each task function's calls folded into one node (`inc ×10,000`), each
 * named after its first call so a click opens that call; the page draws it anew once, when the
 * run grows past that size.
 */
import { defer, of, type Observable, type SchedulerLike } from "rxjs";
import { liveThrottle } from "../../engine/plumbing.js";
import { dagSpecOf } from "../dag/dag-spec.js";
import { edgeData, nodeData, nodeDatum, type NodeDatum } from "../dag/dag-data.js";
import {
  drawableEdges,
  isLive,
  type DrawableEdge,
  type DrawableGraph,
} from "../graph/drawable-graph.js";
import { FOLD_ABOVE, foldRepeated, groupOf } from "../graph/fold-repeated.js";
import { AppendOnlyLayout } from "../layout/append-only-layout.js";
import type { GraphLayout } from "../layout/graph-layout.js";
import { sugiyamaLayout } from "../layout/sugiyama-layout.js";
import { exhaustLatest } from "../live/exhaust-latest.js";
import { chartSize } from "../spec/chart-size.js";
import { timelineData, timelineDatum, timelineOrigin } from "../timeline/timeline-data.js";
import { timelineSpecOf } from "../timeline/timeline-spec.js";
import type { ServerMessage } from "./page-protocol.js";
import type { FollowedGraph } from "./run-source.js";
import type { RunSource } from "./run-source.js";
import { noSuchRun } from "./texts.js";

const UNCAPPED = { maxWidth: Number.POSITIVE_INFINITY, maxHeight: Number.POSITIVE_INFINITY };

/** Options of {@link runFeed$}. */
export interface RunFeedOptions {
  /** Where the timing runs; tests pass a virtual-time scheduler. */
  readonly scheduler?: SchedulerLike;
  /** The time durations and running bars are measured to. */
  readonly now?: () => number;
}

/** The messages that show run `id` on the page; completes after the run's last patch. */
export function runFeed$(
  source: RunSource,
  id: number,
  options: RunFeedOptions = {},
): Observable<ServerMessage> {
  return defer(() => {
    const followed = source.follow(id);
    if (followed === undefined) return of<ServerMessage>({ type: "error", message: noSuchRun(id) });
    const feed = new FeedState(id, options.now ?? Date.now);
    return followed.pipe(
      liveThrottle(options.scheduler),
      exhaustLatest(async (graph) => feed.message(graph)),
    );
  });
}

/** What one page has been sent of a run, so a patch carries only what is new to it. */
class FeedState {
  #first = true;
  #folded = false;
  #layout: AppendOnlyLayout | undefined;
  readonly #rows = new Map<number, NodeDatum>();
  readonly #edgesSent = new Set<string>();

  constructor(
    private readonly run: number,
    private readonly now: () => number,
  ) {}

  message(followed: FollowedGraph): ServerMessage {
    if (this.#first) return this.#whole(followed);
    const changes = followed.takeChanges();
    const state = changes.state ?? "FINISHED";
    // A run first seen ended was laid out whole; it has nothing more to change.
    if (this.#layout === undefined) return this.#patch(state, [], [], []);
    const graph = followed.graph();
    if (!this.#folded && graph.tasks.length > FOLD_ABOVE) return this.#whole(followed);
    // Folded, every node may have changed (a count, a state): they are few.
    const drawn = this.#folded ? foldedForPage(graph) : graph;
    const placed = this.#layout.update(drawn);
    const byId = new Map(drawn.tasks.map((t) => [t.id, t]));
    const names = (taskId: number): string => byId.get(taskId)?.name ?? `#${taskId}`;
    const shown = this.#folded ? drawn.tasks : changes.tasks;
    const incoming = incomingOf(drawableEdges(drawn), new Set(shown.map((t) => t.id)));
    const nodes: NodeDatum[] = [];
    for (const task of shown) {
      const centre = placed.nodes.get(task.id);
      if (centre === undefined) continue;
      const row = nodeDatum(task, centre, incoming, names);
      this.#rows.set(task.id, row);
      nodes.push(row);
    }
    const origin = timelineOrigin(graph);
    const timeline = new Map<number, ReturnType<typeof timelineDatum>>();
    for (const task of [...changes.tasks, ...changes.running]) {
      timeline.set(task.id, timelineDatum(task, origin, this.now()));
    }
    return this.#patch(state, nodes, edgeData(this.#newRoutes(placed)), [...timeline.values()]);
  }

  #whole(followed: FollowedGraph): ServerMessage {
    this.#first = false;
    const graph = followed.graph();
    followed.takeChanges();
    this.#folded = graph.tasks.length > FOLD_ABOVE;
    const drawn = this.#folded ? foldedForPage(graph) : graph;
    this.#rows.clear();
    this.#edgesSent.clear();
    this.#layout = isLive(graph) ? new AppendOnlyLayout() : undefined;
    const placed = this.#layout?.update(drawn) ?? sugiyamaLayout(drawn);
    const nodeRows = nodeData(drawn, placed);
    for (const row of nodeRows) this.#rows.set(row.id, row);
    const size = chartSize(nodeRows, UNCAPPED);
    const dag = dagSpecOf(graph.name, nodeRows, edgeData(this.#newRoutes(placed)), size);
    const timeline = timelineSpecOf(graph.name, timelineData(graph, this.now()));
    return { type: "graph", run: this.run, state: graph.state ?? "FINISHED", dag, timeline, size };
  }

  #patch(
    state: string,
    nodes: NodeDatum[],
    edges: ReturnType<typeof edgeData>,
    tasks: ReturnType<typeof timelineData>,
  ): ServerMessage {
    const size =
      this.#layout === undefined
        ? { width: 0, height: 0 }
        : chartSize([...this.#rows.values()], UNCAPPED);
    return { type: "patch", run: this.run, state, nodes, edges, tasks, size };
  }

  /** The routes of edges not sent yet (a live layout never moves one once placed). */
  #newRoutes(placed: GraphLayout): GraphLayout {
    const edges = placed.edges.filter((route) => {
      const key = `${route.from}>${route.to}`;
      if (this.#edgesSent.has(key)) return false;
      this.#edgesSent.add(key);
      return true;
    });
    return { nodes: placed.nodes, edges };
  }
}

/** The graph folded as the notebook folds it, each folded node keeping its first call's id. */
export function foldedForPage(graph: DrawableGraph): DrawableGraph {
  const first: number[] = [];
  const groups = new Set<string>();
  for (const task of graph.tasks) {
    const group = groupOf(task);
    if (groups.has(group)) continue;
    groups.add(group);
    first.push(task.id);
  }
  // foldRepeated numbers the folded nodes in the order their groups first appear
  const folded = foldRepeated(graph);
  const idOf = (index: number): number => first[index] ?? index;
  return {
    ...folded,
    tasks: folded.tasks.map((task) => ({ ...task, id: idOf(task.id) })),
    edges: folded.edges.map((edge) => ({ ...edge, from: idOf(edge.from), to: idOf(edge.to) })),
  };
}

/** The edges into each of `ids`. */
function incomingOf(
  edges: readonly DrawableEdge[],
  ids: ReadonlySet<number>,
): Map<number, DrawableEdge[]> {
  const incoming = new Map<number, DrawableEdge[]>();
  for (const edge of edges) {
    if (!ids.has(edge.to)) continue;
    const list = incoming.get(edge.to);
    if (list === undefined) incoming.set(edge.to, [edge]);
    else list.push(edge);
  }
  return incoming;
}
