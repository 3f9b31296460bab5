/**
 * The package as a notebook sees it: whatever the notebook's folder holds, `"workgraph"`
 * resolves here (types and code). Loading it also makes every run a cell starts (with `run`,
 * or anything else that starts runs) show live under that cell, and stop on an interrupt.
 */
import { createRequire } from "node:module";
import type * as Widgets from "../widgets/index.js";
import { runStarted$, type MimeBundle, type StaticGraph } from "../engine/index.js";
import { setDefaultLog, setGraphDrawer, setRunDrawer } from "../engine/plumbing.js";
import { currentCell } from "./runtime/cell-storage.js";
import { drawWithViews } from "./runtime/view-bundles.js";

export * from "../index.js";

// runStarted$ emits in the caller's async context, so the cell that started the run is known.
runStarted$.subscribe((run) => currentCell()?.watchRun(run));
// Bound to the cell when the run starts, so lines written later from elsewhere (an interrupt
// handler cancelling the run) still land under the cell that started it.
setDefaultLog(() => currentCell()?.reportLog);

// A WorkGraph shown in a cell draws its DAG (every task PLANNED). The views load on first use,
// synchronously (they load through require(); vega itself is imported only to render SVG).
type Views = typeof Widgets;
let views: Views | undefined;
setGraphDrawer((graph: StaticGraph): MimeBundle | undefined => {
  try {
    views ??= createRequire(import.meta.url)("../widgets/index.js") as Views;
  } catch {
    return undefined; // no chart: the text summary stays
  }
  return { [views.VEGA_LITE_MIME]: views.dagSpec(graph) };
});
// A run, a stored run (orm.load) and run.timeline() display as pictures drawn by the views.
setRunDrawer(drawWithViews);
