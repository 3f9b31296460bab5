/**
 * workgraph's views of a run: Vega-Lite specs of its DAG and timeline, MIME bundles for
 * notebooks, a live binding to a run's events, and the live web page.
 *
 * ```
 *   RunGraph / static graph ─▶ layout/   append-only (live) · Sugiyama (ended, static)
 *                                 ▼
 *                              dag/ · timeline/   rows + Vega-Lite spec (v5, pure)
 *                                 ▼
 *                              render/   SVG in Node (vega loaded on first use)
 *                                 ▼
 *                              mime.ts   spec + SVG + text bundle
 *   run.events$ ─▶ live/    throttled bundles for a notebook display
 *               ─▶ gui/     HTTP + WebSocket page: runs, live DAG and timeline, task panel
 * ```
 *
 * Nothing here is imported by the engine; vega and vega-lite (ESM with top-level await) are
 * imported dynamically by the renderer, so this entry loads through `require()` too.
 */
export type { DrawableEdge, DrawableGraph, DrawableTask } from "./graph/drawable-graph.js";
export { AppendOnlyLayout } from "./layout/append-only-layout.js";
export { sugiyamaLayout } from "./layout/sugiyama-layout.js";
export { layoutFor } from "./layout/layout-for.js";
export type { LayoutChoice } from "./layout/layout-for.js";
export type { EdgeRoute, GraphLayout, Point } from "./layout/graph-layout.js";
export { dagSpec, TASK_SELECTION } from "./dag/dag-spec.js";
export type { DagSpecOptions } from "./dag/dag-spec.js";
export { STATE_COLOURS } from "./dag/palette.js";
export { timelineSpec } from "./timeline/timeline-spec.js";
export type { TimelineSpecOptions } from "./timeline/timeline-spec.js";
export { renderSvg } from "./render/render-svg.js";
export { textWidth } from "./render/glyph-widths.js";
export {
  dagBundle,
  timelineBundle,
  specBundle,
  graphSummary,
  withPng,
  finalBundle,
  VEGA_LITE_MIME,
} from "./mime.js";
export { renderPng } from "./render/render-png.js";
export { compileToVega } from "./render/compile-spec.js";
export { runBundles$ } from "./live/run-bundles.js";
export type { FollowedRun, RunBundlesOptions } from "./live/run-bundles.js";
export { exhaustLatest } from "./live/exhaust-latest.js";
export { startGui } from "./gui/gui-server.js";
export type { GuiOptions, GuiServer } from "./gui/gui-server.js";
export { gui, registerRun, closeGui } from "./gui/gui.js";
export type { NotebookGuiOptions } from "./gui/gui.js";
export { ProcessRunSource } from "./gui/process-run-source.js";
export { StoredRunSource } from "./gui/stored-run-source.js";
export type { StoreReader } from "./gui/stored-graph.js";
export type {
  DrawableChanges,
  FollowedGraph,
  RunSource,
  RunSummary,
  TaskDetail,
  StateChange,
} from "./gui/run-source.js";
