/**
 * The live display of a run in a cell: the Vega-Lite DAG of `widgets/` (spec + SVG + text),
 * loaded on first use so that starting the kernel does not pay for vega. If the views cannot
 * load or render, the display goes on as a text summary.
 */
import { catchError, defer, from, switchMap } from "rxjs";
import type { RunDrawer } from "../../engine/plumbing.js";
import { summaryBundles, type RunBundles } from "./run-summary.js";

/** Draws each run with the widgets' live DAG bundles. */
export function viewBundles(): RunBundles {
  const fallback = summaryBundles();
  return (run) =>
    defer(() => from(import("../../widgets/index.js"))).pipe(
      switchMap((widgets) => widgets.runBundles$(run)),
      catchError(() => fallback(run)),
    );
}

/** Draws a run's graph, stored or live, as its final picture with the widgets' views. */
export const drawWithViews: RunDrawer = async (graph, view) => {
  const widgets = await import("../../widgets/index.js");
  return widgets.finalBundle(graph, view);
};
