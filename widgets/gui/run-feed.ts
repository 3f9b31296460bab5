/**
 * What the page receives for one open run: both views at once, then patches with the rows
 * that changed, a few times a second while the run goes on. A run that is live when opened
 * keeps an append-only layout, so patches only add nodes and edges and change states: the
 * user's zoom and selection survive every update.
 */
import { defer, startWith, type Observable, type SchedulerLike } from "rxjs";
import { dagSpecOf } from "../dag/dag-spec.js";
import { edgeData, nodeData, type EdgeDatum, type NodeDatum } from "../dag/dag-data.js";
import { isLive, type DrawableGraph } from "../graph/drawable-graph.js";
import { AppendOnlyLayout } from "../layout/append-only-layout.js";
import { sugiyamaLayout } from "../layout/sugiyama-layout.js";
import { exhaustLatest } from "../live/exhaust-latest.js";
import { LIVE_INTERVAL } from "../live/run-bundles.js";
import { throttleLatest } from "../../engine/model/throttle-latest.js";
import { chartSize } from "../spec/chart-size.js";
import { timelineData, type TimelineDatum } from "../timeline/timeline-data.js";
import { timelineSpecOf } from "../timeline/timeline-spec.js";
import type { ServerMessage } from "./messages.js";
import { RowDiff } from "./row-diff.js";
import type { RunSource } from "./run-source.js";
import { noSuchRun } from "./texts.js";

const UNCAPPED = { maxWidth: Number.POSITIVE_INFINITY, maxHeight: Number.POSITIVE_INFINITY };

/** Options of {@link runFeed$}. */
export interface RunFeedOptions {
  /** At most one patch per this many ms (default 250). */
  readonly interval?: number;
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
    const now = options.now ?? Date.now;
    let layout: AppendOnlyLayout | undefined;
    const nodes = new RowDiff<NodeDatum>((row) => row.id);
    const edges = new RowDiff<EdgeDatum>((row) => `${row.from}>${row.to}:${row.x},${row.y}`);
    const tasks = new RowDiff<TimelineDatum>((row) => row.id);
    let first = true;
    const message = (graph: DrawableGraph): ServerMessage => {
      const state = graph.state ?? "FINISHED";
      if (first) {
        first = false;
        if (isLive(graph)) layout = new AppendOnlyLayout();
        const placed = layout?.update(graph) ?? sugiyamaLayout(graph);
        const nodeRows = nodes.changed(nodeData(graph, placed));
        const size = chartSize(nodeRows, UNCAPPED);
        const dag = dagSpecOf(graph.name, nodeRows, edges.changed(edgeData(placed)), size);
        const timeline = timelineSpecOf(graph.name, tasks.changed(timelineData(graph, now())));
        return { type: "graph", run: id, state, dag, timeline, size };
      }
      // A run first seen ended was laid out whole; it has nothing more to change.
      if (layout === undefined)
        return {
          type: "patch",
          run: id,
          state,
          nodes: [],
          edges: [],
          tasks: [],
          size: { width: 0, height: 0 },
        };
      const placed = layout.update(graph);
      const nodeRows = nodeData(graph, placed);
      return {
        type: "patch",
        run: id,
        state,
        nodes: nodes.changed(nodeRows),
        edges: edges.changed(edgeData(placed)),
        tasks: tasks.changed(timelineData(graph, now())),
        size: chartSize(nodeRows, UNCAPPED),
      };
    };
    return source.follow(id).pipe(
      startWith(undefined),
      throttleLatest(options.interval ?? LIVE_INTERVAL, options.scheduler),
      exhaustLatest(async (): Promise<ServerMessage> => {
        const graph = await source.graph(id);
        return graph !== undefined ? message(graph) : { type: "error", message: noSuchRun(id) };
      }),
    );
  });
}
