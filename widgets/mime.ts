/**
 * MIME bundles of a run's views: the Vega-Lite spec for front ends that render it (JupyterLab,
 * Notebook 7, VS Code), an SVG rendered here for those that do not (classic notebook,
 * nbconvert), and a one-line text; final pictures add a PNG (untrusted notebooks, GitHub's
 * viewer, doc tools). No `text/html`: JupyterLab would pick it over the chart.
 */
import type { MimeBundle, TaskState } from "../engine/index.js";
import type { TopLevelSpec } from "vega-lite";
import { dagSpec, type DagSpecOptions } from "./dag/dag-spec.js";
import { stateOf, type DrawableGraph } from "./graph/drawable-graph.js";
import { renderPng } from "./render/render-png.js";
import { renderSvg } from "./render/render-svg.js";
import { timelineSpec, type TimelineSpecOptions } from "./timeline/timeline-spec.js";

/** The MIME type of a Vega-Lite 5 spec. */
export const VEGA_LITE_MIME = "application/vnd.vegalite.v5+json";

/** The bundle of a graph's DAG: spec, SVG and summary. */
export async function dagBundle(
  graph: DrawableGraph,
  options: DagSpecOptions = {},
): Promise<MimeBundle> {
  return specBundle(dagSpec(graph, options), graphSummary(graph));
}

/** The bundle of a graph's timeline: spec, SVG and summary. */
export async function timelineBundle(
  graph: DrawableGraph,
  options: TimelineSpecOptions = {},
): Promise<MimeBundle> {
  return specBundle(timelineSpec(graph, options), `${graphSummary(graph)} (timeline)`);
}

/** A bundle of any spec: the spec itself, its SVG, and the given text. */
export async function specBundle(spec: TopLevelSpec, text: string): Promise<MimeBundle> {
  return { [VEGA_LITE_MIME]: spec, "image/svg+xml": await renderSvg(spec), "text/plain": text };
}

/**
 * A final bundle: the given one plus a PNG of its SVG. Only final pictures carry one (a live
 * display's intermediate bundles stay small).
 */
export async function withPng(bundle: MimeBundle): Promise<MimeBundle> {
  const svg = bundle["image/svg+xml"];
  if (typeof svg !== "string") return bundle;
  return { ...bundle, "image/png": await renderPng(svg) };
}

/** The final picture of a run's graph: its DAG or timeline bundle, with a PNG. */
export async function finalBundle(
  graph: DrawableGraph,
  view: "dag" | "timeline" = "dag",
): Promise<MimeBundle> {
  return withPng(await (view === "timeline" ? timelineBundle(graph) : dagBundle(graph)));
}

/** `add_multiply: 2 tasks, 2 FINISHED`: how many tasks, and how many in each state. */
export function graphSummary(graph: DrawableGraph): string {
  const counts = new Map<TaskState, number>();
  for (const task of graph.tasks) counts.set(stateOf(task), (counts.get(stateOf(task)) ?? 0) + 1);
  const n = graph.tasks.length;
  const parts = [`${n} task${n === 1 ? "" : "s"}`, ...[...counts].map(([s, k]) => `${k} ${s}`)];
  return `${graph.name}: ${parts.join(", ")}`;
}
