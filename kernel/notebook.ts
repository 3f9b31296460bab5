/**
 * The package as a notebook sees it: whatever the notebook's folder holds, `"workgraph"`
 * resolves here (types and code). Loading it also makes every run a cell starts (with `run`,
 * or anything else that starts runs) show live under that cell, and stop on an interrupt.
 */
import { runStarted$ } from "../engine/index.js";
import { setDefaultLog } from "../engine/plumbing.js";
import { currentCell } from "./runtime/cell-storage.js";

export * from "../index.js";

// runStarted$ emits in the caller's async context, so the cell that started the run is known.
runStarted$.subscribe((run) => currentCell()?.watchRun(run));
// Bound to the cell when the run starts, so lines written later from elsewhere (an interrupt
// handler cancelling the run) still land under the cell that started it.
setDefaultLog(() => currentCell()?.reportLog);
