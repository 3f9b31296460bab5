/**
 * A run's view, live: the MIME bundles a kernel shows under a cell and updates by display id.
 *
 * ```
 *   run.events$ ─▶ startWith(now) ─▶ throttleLatest (≤ 4/s, last one on completion)
 *               ─▶ exhaustLatest(render run.graph()) ─▶ bundles
 * ```
 */
import { defer, startWith, type Observable, type SchedulerLike } from "rxjs";
import type { EngineEvent, MimeBundle, RunGraph } from "../../engine/index.js";
import { AppendOnlyLayout } from "../layout/append-only-layout.js";
import { dagBundle, timelineBundle } from "../mime.js";
import { exhaustLatest } from "./exhaust-latest.js";
import { throttleLatest } from "../../engine/model/throttle-latest.js";

/** What a live view needs of a run (a `Run` has it). */
export interface LiveRun {
  readonly events$: Observable<EngineEvent>;
  graph(): RunGraph;
}

/** Options of {@link runBundles$}. */
export interface RunBundlesOptions {
  /** Which view: the DAG (default) or the timeline. */
  readonly view?: "dag" | "timeline";
  /** At most one update per this many ms (default 250: four a second). */
  readonly interval?: number;
  /** Where the timing runs; tests pass a virtual-time scheduler. */
  readonly scheduler?: SchedulerLike;
}

/** The default time between two updates of a live view, in ms. */
export const LIVE_INTERVAL = 250;

/**
 * The bundles of a run's view: one at once, then at most four a second while events arrive,
 * and always one of the final state when the run ends; then it completes. A render never
 * runs on the engine's call stack, and at most one runs at a time (updates that arrive
 * meanwhile are folded into the next one).
 *
 * @example
 * runBundles$(run).subscribe((bundle) => display.update(bundle));
 */
export function runBundles$(run: LiveRun, options: RunBundlesOptions = {}): Observable<MimeBundle> {
  return defer(() => {
    // One layout per subscription: a node placed in this view never moves.
    const layout = new AppendOnlyLayout();
    const render = (graph: RunGraph): Promise<MimeBundle> =>
      options.view === "timeline" ? timelineBundle(graph) : dagBundle(graph, { layout });
    return run.events$.pipe(
      startWith(undefined),
      throttleLatest(options.interval ?? LIVE_INTERVAL, options.scheduler),
      exhaustLatest(() => render(run.graph())),
    );
  });
}
