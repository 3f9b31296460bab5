/**
 * The DAG of a run as a Vega-Lite spec: edges as `rule` segments with triangle heads, nodes as
 * `rect` boxes with `text` labels, coloured by state. Click a task to highlight its edges
 * (double-click clears); drag to pan and scroll to zoom. Written against Vega-Lite 5.6, the
 * version JupyterLab ships, and tested against it.
 */
import type { TopLevelSpec } from "vega-lite";
import type { DrawableGraph } from "../graph/drawable-graph.js";
import { NODE_WIDTH, type GraphLayout } from "../layout/graph-layout.js";
import { AppendOnlyLayout } from "../layout/append-only-layout.js";
import { layoutFor, type LayoutChoice } from "../layout/layout-for.js";
import { FOLD_ABOVE, foldRepeated } from "../graph/fold-repeated.js";
import { edgeData, nodeData, type EdgeDatum, type NodeDatum } from "./dag-data.js";
import { stateColour } from "./palette.js";
import { chartSize, VEGA_LITE_SCHEMA, type SizeOptions } from "../spec/chart-size.js";

/** Options of {@link dagSpec}. */
export interface DagSpecOptions extends SizeOptions {
  /** How to lay the graph out; defaults to append-only for a live run, Sugiyama otherwise. */
  readonly layout?: LayoutChoice;
  /** A line under the title: a live run's progress. */
  readonly subtitle?: string;
}

/** The name of the selection of the clicked task; its value is `{ id: [taskId] }`. */
export const TASK_SELECTION = "task";
/** The named datasets a live page changes. */
export const DAG_DATASETS = { nodes: "nodes", edges: "edges" } as const;

// An edge is lit when the selected task is either of its ends.
const EDGE_LIT =
  `isArray(${TASK_SELECTION}.id) && ` +
  `(indexof(${TASK_SELECTION}.id, datum.from) >= 0 || indexof(${TASK_SELECTION}.id, datum.to) >= 0)`;
// How wide a node is on screen now, so labels follow the zoom.
const NODE_PIXELS = `abs(scale('x', ${NODE_WIDTH}) - scale('x', 0))`;

// Start times are formatted by the viewer, in its own time zone; so is the time a running
// task has taken so far.
const STARTED = [
  { calculate: "datum.start == null ? '' : timeFormat(datum.start, '%H:%M:%S.%L')", as: "started" },
  {
    calculate:
      "datum.duration != '' || datum.start == null ? datum.duration : format((now() - datum.start) / 1000, '.1f') + ' s so far'",
    as: "took",
  },
];
const TOOLTIP = [
  { field: "name", title: "task" },
  { field: "state" },
  { field: "pk" },
  { field: "started", title: "start" },
  { field: "took", title: "duration" },
  { field: "inputs" },
  { field: "outputs", title: "output" },
];

/** The Vega-Lite spec of a graph's DAG. */
export function dagSpec(graph: DrawableGraph, options: DagSpecOptions = {}): TopLevelSpec {
  if (graph.tasks.length > FOLD_ABOVE) {
    const folded = foldRepeated(graph);
    return dagSpecFromLayout(folded, layoutFor(folded, foldedLayout(options.layout)), options);
  }
  return dagSpecFromLayout(graph, layoutFor(graph, options.layout), options);
}

// A live view keeps one append-only layout; once it folds, its folded nodes get their own.
const foldedLayouts = new WeakMap<AppendOnlyLayout, AppendOnlyLayout>();

function foldedLayout(choice: LayoutChoice | undefined): LayoutChoice | undefined {
  if (!(choice instanceof AppendOnlyLayout)) return choice;
  let layout = foldedLayouts.get(choice);
  if (layout === undefined) foldedLayouts.set(choice, (layout = new AppendOnlyLayout()));
  return layout;
}

/** The DAG spec of a graph already laid out. */
export function dagSpecFromLayout(
  graph: DrawableGraph,
  layout: GraphLayout,
  options: DagSpecOptions = {},
): TopLevelSpec {
  const nodes = nodeData(graph, layout);
  const edges = edgeData(layout);
  const spec = dagSpecOf(graph.name, nodes, edges, chartSize(nodes, options), options.subtitle);
  if (edges.length > 0) return spec;
  // Layers over no rows leave their scales an empty extent, which vega warns about; a live
  // page keeps them (dagSpecOf), as its edges come later.
  const layer = (spec as { layer: readonly { data?: { name?: string } }[] }).layer;
  return {
    ...spec,
    layer: layer.filter((l) => l.data?.name !== DAG_DATASETS.edges),
  } as TopLevelSpec;
}

/** The spec around given rows: what a live page starts from before changing rows. */
export function dagSpecOf(
  title: string,
  nodes: readonly NodeDatum[],
  edges: readonly EdgeDatum[],
  size: { readonly width: number; readonly height: number },
  subtitle?: string,
): TopLevelSpec {
  const x = {
    field: "x",
    type: "quantitative",
    axis: null,
    scale: { zero: false, nice: false, padding: 12 },
  } as const;
  const y = {
    field: "y",
    type: "quantitative",
    axis: null,
    scale: { zero: false, nice: false, padding: 12, reverse: true },
  } as const;
  return {
    $schema: VEGA_LITE_SCHEMA,
    title: {
      text: title,
      anchor: "start",
      fontSize: 13,
      ...(subtitle !== undefined ? { subtitle, subtitleFontSize: 11, subtitleColor: "#555" } : {}),
    },
    width: size.width,
    height: size.height,
    datasets: { [DAG_DATASETS.nodes]: [...nodes], [DAG_DATASETS.edges]: [...edges] },
    layer: [
      {
        data: { name: DAG_DATASETS.edges },
        mark: { type: "rule", clip: true },
        encoding: {
          x,
          y,
          x2: { field: "x2" },
          y2: { field: "y2" },
          color: { condition: { test: EDGE_LIT, value: "#1f4e8c" }, value: "#9b9b9b" },
          strokeWidth: { condition: { test: EDGE_LIT, value: 2.5 }, value: 1.2 },
        },
      },
      {
        data: { name: DAG_DATASETS.edges },
        transform: [{ filter: "datum.head" }],
        mark: {
          type: "point",
          shape: "triangle-right",
          filled: true,
          clip: true,
          size: 45,
          // the direction on screen, which pan and zoom change
          angle: {
            expr: "atan2(scale('y', datum.y2) - scale('y', datum.y), scale('x', datum.x2) - scale('x', datum.x)) * 180 / PI",
          },
        },
        encoding: {
          x: { ...x, field: "x2" },
          y: { ...y, field: "y2" },
          color: { condition: { test: EDGE_LIT, value: "#1f4e8c" }, value: "#9b9b9b" },
          opacity: { value: 1 },
        },
      },
      {
        data: { name: DAG_DATASETS.nodes },
        params: [
          {
            name: TASK_SELECTION,
            select: { type: "point", fields: ["id"], on: "click", clear: "dblclick" },
          },
          { name: "grid", select: { type: "interval" }, bind: "scales" },
        ],
        transform: STARTED,
        // square corners: rounded ones make each box a path of curves, twice the SVG and time
        mark: { type: "rect", clip: true, cursor: "pointer" },
        encoding: {
          x: { ...x, field: "x1" },
          x2: { field: "x2" },
          y: { ...y, field: "y1" },
          y2: { field: "y2" },
          color: stateColour(),
          stroke: {
            condition: { param: TASK_SELECTION, empty: false, value: "#1f4e8c" },
            value: "#6f6f6f",
          },
          strokeWidth: { condition: { param: TASK_SELECTION, empty: false, value: 2.5 }, value: 1 },
          tooltip: TOOLTIP,
        },
      },
      {
        data: { name: DAG_DATASETS.nodes },
        transform: STARTED,
        mark: {
          type: "text",
          clip: true,
          fontSize: { expr: `clamp(11 * ${NODE_PIXELS} / ${NODE_WIDTH}, 7, 14)` },
          limit: { expr: `max(0, ${NODE_PIXELS} - 10)` },
          color: "#1b1b1b",
          cursor: "pointer",
        },
        encoding: { x, y, text: { field: "name" }, tooltip: TOOLTIP },
      },
    ],
    config: { aria: false, view: { stroke: null }, font: "Helvetica, Arial, sans-serif" },
  };
}
