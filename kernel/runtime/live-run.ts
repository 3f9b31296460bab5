/**
 * A run under a cell: one display, created when the run starts and updated in place by its
 * display id (as often as the bundles come: their producer keeps to the live rate), ending on
 * the run's final state.
 */
import type { Run } from "../../engine/index.js";
import * as messages from "../messages.js";
import type { CellOutput } from "./cell-scope.js";
import type { RunBundles } from "./run-summary.js";

/** How runs are shown live. */
export interface RunDisplayOptions {
  readonly bundles: RunBundles;
}

/** A run being shown. */
export interface RunDisplay {
  readonly run: Run;
  /** Resolves when the display has shown the final state (or given up). */
  readonly settled: Promise<void>;
}

/** The display id of a run's live display. */
export const liveDisplayId = (run: Run): string => `workgraph-run-${run.uuid}`;

/** Shows `run` in `output` until it ends. */
export function showLiveRun(run: Run, output: CellOutput, options: RunDisplayOptions): RunDisplay {
  const displayId = liveDisplayId(run);
  let shown = false;
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
