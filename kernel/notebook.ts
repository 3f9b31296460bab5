/**
 * The package as a notebook sees it: whatever the notebook's folder holds, `"workgraph"`
 * resolves here (types and code). Loading it also makes every run a cell starts (with `run`,
 * or anything else that starts runs) show live under that cell, and stop on an interrupt.
 */
import { createRequire } from "node:module";
import type * as Widgets from "../widgets/index.js";
import * as entry from "../index.js";
import {
  run,
  runStarted$,
  runSubmitted$,
  submit,
  type MimeBundle,
  type StaticGraph,
} from "../engine/index.js";
import {
  captureFlowSource,
  setDefaultLog,
  setFlowCapture,
  setGraphDrawer,
  setRunDrawer,
} from "../engine/plumbing.js";
import { cellLocal } from "./runtime/cell-locals.js";
import { currentCell } from "./runtime/cell-storage.js";
import { drawWithViews } from "./runtime/view-bundles.js";

export * from "../index.js";

// runStarted$ emits in the caller's async context, so the cell that started the run is known.
runStarted$.subscribe((run) => currentCell()?.watchRun(run));
// A submitted run shows under its cell too, fed from the daemon, and goes on after the cell.
runSubmitted$.subscribe((handle) => currentCell()?.watchRun(handle));
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

// A flow defined in a cell goes to the daemon as source, with what it uses from the cells.
// A WorkGraph's generated flow brings a scope of its own (its tasks), looked up first.
setFlowCapture((flow, scope) =>
  captureFlowSource(flow, (name) => scope?.(name) ?? cellLocal(name), packageMember),
);

/** `""` for this package's module (`import * as wg from "workgraph"`), or the export's name. */
function packageMember(value: unknown): string | undefined {
  if (typeof value === "object" && value !== null) {
    const module = value as { run?: unknown; submit?: unknown };
    if (module.run === run && module.submit === submit) return "";
  }
  if (typeof value !== "function") return undefined;
  return Object.entries(entry).find(([, exported]) => exported === value)?.[0];
}
