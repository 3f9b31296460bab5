/**
 * A run under a cell: one display, created when the run starts and updated in place by its
 * display id (as often as the bundles come: their producer keeps to the live rate), ending on
 * the run's final state.
 */
import type { EngineEvent, RunGraph, RunState } from "../../engine/index.js";
import type { Observable } from "rxjs";
import * as messages from "../messages.js";
import type { CellOutput } from "./cell-scope.js";
import type { RunBundles } from "./run-summary.js";

/**
 * A run a cell shows: one of this process (`Run`) or one submitted to the daemon
 * (`SubmittedRun`), whose events come from wherever it executes.
 */
export interface ShownRun {
  readonly uuid: string;
  readonly name: string;
  readonly state: RunState;
  /** When the run was created (ms since the epoch). */
  readonly createdAt: number;
  readonly events$: Observable<EngineEvent>;
  graph(): RunGraph;
  /** Runs of this process are cancelled on interrupt; submitted runs outlive the cell. */
  cancel?(reason: string): void;
}

/** How runs are shown live. */
export interface RunDisplayOptions {
  readonly bundles: RunBundles;
}

/** A run being shown. */
export interface RunDisplay {
  readonly run: ShownRun;
  /** Resolves when the display has shown the final state (or given up). */
  readonly settled: Promise<void>;
}

/** The display id of a run's live display. */
export const liveDisplayId = (run: ShownRun): string => `workgraph-run-${run.uuid}`;

/** Shows `run` in `output` until it ends. */
export function showLiveRun(
  run: ShownRun,
  output: CellOutput,
  options: RunDisplayOptions,
): RunDisplay {
  const displayId = liveDisplayId(run);
  let shown = false;
  if (run.cancel === undefined) {
    // A submitted run's first view may come after its cell has returned, and a display
    // that late would be lost: the display starts at once, its views come as updates.
    output.display(
      { data: { "text/plain": messages.submittedRun(run.name) }, metadata: {} },
      displayId,
    );
    shown = true;
  }
  const settled = new Promise<void>((resolve) => {
    const fail = (error: unknown) => {
      output.write("stderr", messages.liveDisplayFailed(run.name, String(error)));
      resolve();
    };
    try {
      options.bundles(run).subscribe({
        next(data) {
          const content = { data, metadata: {} };
          if (shown) output.updateDisplay(displayId, content);
          else output.display(content, displayId);
          shown = true;
        },
        error: fail,
        complete: resolve,
      });
    } catch (error) {
      fail(error);
    }
  });
  return { run, settled };
}
