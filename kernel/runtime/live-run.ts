/**
 * A run under a cell: one display, created when the run starts and updated in place by its
 * display id (throttled), ending on the run's final state.
 */
import type { SchedulerLike } from "rxjs";
import type { Run } from "../../engine/index.js";
import * as messages from "../messages.js";
import type { CellOutput } from "./cell-scope.js";
import type { RunBundles } from "./run-summary.js";
import { throttleLatest } from "../../engine/model/throttle-latest.js";

/** How runs are shown live. */
export interface LiveRunOptions {
  readonly bundles: RunBundles;
  /** At most one update per this many ms (~4 a second by default). */
  readonly periodMs: number;
  readonly scheduler?: SchedulerLike;
}

/** A run being shown. */
export interface LiveRun {
  readonly run: Run;
  /** Resolves when the display has shown the final state (or given up). */
  readonly settled: Promise<void>;
}

/** The display id of a run's live display. */
export const liveDisplayId = (run: Run): string => `workgraph-run-${run.uuid}`;

/** Shows `run` in `output` until it ends. */
export function showLiveRun(run: Run, output: CellOutput, options: LiveRunOptions): LiveRun {
  const displayId = liveDisplayId(run);
  let shown = false;
  const settled = new Promise<void>((resolve) => {
    const fail = (error: unknown) => {
      output.write("stderr", messages.liveDisplayFailed(run.name, String(error)));
      resolve();
    };
    try {
      options
        .bundles(run)
        .pipe(throttleLatest(options.periodMs, options.scheduler))
        .subscribe({
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
