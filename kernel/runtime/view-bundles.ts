/**
 * The live display of a run in a cell: the Vega-Lite DAG of `widgets/` (spec + SVG + text),
 * loaded on first use so that starting the kernel does not pay for vega.
 */
import { defer, from, switchMap } from "rxjs";
import type { RunBundles } from "./run-summary.js";

/** Draws each run with the widgets' live DAG bundles. */
export function viewBundles(): RunBundles {
  return (run) =>
    defer(() => from(import("../../widgets/index.js"))).pipe(
      switchMap((widgets) => widgets.runBundles$(run)),
    );
}
