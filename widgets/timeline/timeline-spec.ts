/**
 * A run's timeline as a Vega-Lite spec: one bar per task from its start to its end (running
 * tasks reach "now"), coloured by state; tasks that never started are points where they were
 * created. Drag to pan and scroll to zoom along time.
 */
import type { TopLevelSpec } from "vega-lite";
import type { DrawableGraph } from "../graph/drawable-graph.js";
import { stateColour } from "../dag/palette.js";
import { VEGA_LITE_SCHEMA, type SizeOptions } from "../spec/chart-size.js";
import { timelineData, type TimelineDatum } from "./timeline-data.js";

/** Options of {@link timelineSpec}. */
export interface TimelineSpecOptions extends SizeOptions {
  /** Where running tasks' bars end; defaults to now. */
  readonly now?: number;
}

/** The named dataset a live page changes. */
export const TIMELINE_DATASET = "tasks";

/** Pixels per task row, until the chart reaches its greatest height. */
const ROW_PIXELS = 18;

/** The Vega-Lite spec of a graph's timeline. */
export function timelineSpec(
  graph: DrawableGraph,
  options: TimelineSpecOptions = {},
): TopLevelSpec {
  const rows = timelineData(graph, options.now ?? Date.now());
  const spec = timelineSpecOf(graph.name, rows, options);
  // A layer over no rows leaves its scale an empty extent, which vega warns about; the live
  // page keeps both (timelineSpecOf), as rows come later.
  const started = rows.some((row) => row.started);
  const unstarted = rows.some((row) => !row.started);
  if (rows.length === 0 || (started && unstarted)) return spec;
  const layer = (spec as { layer: readonly unknown[] }).layer;
  return { ...spec, layer: [layer[started ? 0 : 1]] } as TopLevelSpec;
}

/** The spec around given rows. */
export function timelineSpecOf(
  title: string,
  rows: readonly TimelineDatum[],
  options: SizeOptions = {},
): TopLevelSpec {
  const y = {
    field: "name",
    type: "nominal",
    sort: { field: "id", op: "min", order: "ascending" },
    axis: { title: null, labelLimit: 140, labelOverlap: "greedy" },
  } as const;
  const x = {
    field: "start",
    type: "quantitative",
    title: "seconds since the run began",
    scale: { zero: true, nice: false },
  } as const;
  const tooltip = [
    { field: "name", title: "task" },
    { field: "state" },
    { field: "start", title: "start (s)" },
    { field: "duration" },
    { field: "outputs", title: "output" },
  ];
  return {
    $schema: VEGA_LITE_SCHEMA,
    title: { text: `${title}: timeline`, anchor: "start", fontSize: 13 },
    // the whole chart, task names and legend included, fits the width (narrow front ends)
    width: Math.min(options.maxWidth ?? 900, 680),
    autosize: { type: "fit-x", contains: "padding" },
    height: Math.max(40, Math.min(options.maxHeight ?? 560, rows.length * ROW_PIXELS)),
    datasets: { [TIMELINE_DATASET]: [...rows] },
    data: { name: TIMELINE_DATASET },
    encoding: { y, color: stateColour(), tooltip },
    layer: [
      {
        transform: [{ filter: "datum.started" }],
        params: [{ name: "time", select: { type: "interval", encodings: ["x"] }, bind: "scales" }],
        mark: { type: "bar", clip: true, cornerRadius: 2, stroke: "#6f6f6f", strokeWidth: 0.5 },
        encoding: { x, x2: { field: "end" } },
      },
      {
        transform: [{ filter: "!datum.started" }],
        mark: { type: "point", clip: true, filled: true, size: 40, stroke: "#6f6f6f" },
        encoding: { x },
      },
    ],
    config: { aria: false, view: { stroke: null }, font: "Helvetica, Arial, sans-serif" },
  };
}
