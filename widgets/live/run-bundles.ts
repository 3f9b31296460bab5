/**
 * A run's view, live: the MIME bundles a kernel shows under a cell and updates by display id.
 *
 * ```
 *   run.graph() once ─▶ GraphModel ◀─ run.events$ (folded in as they come)
 *                     ─▶ liveThrottle (≤ 4/s, last one on completion)
 *                     ─▶ exhaustLatest(render model.graph()) ─▶ bundles (the last with a PNG)
 * ```
 */
import { defer, filter, startWith, type Observable, type SchedulerLike } from "rxjs";
import type { EngineEvent, MimeBundle, RunGraph } from "../../engine/index.js";
import { GraphModel, liveThrottle, progressText, runProgress } from "../../engine/plumbing.js";
import { AppendOnlyLayout } from "../layout/append-only-layout.js";
import { isLive } from "../graph/drawable-graph.js";
import { dagBundle, timelineBundle, withPng } from "../mime.js";
import { exhaustLatest } from "./exhaust-latest.js";

/** What a live view needs of a run (a `Run` has it): its graph now and its events from now. */
export interface FollowedRun {
  readonly events$: Observable<EngineEvent>;
  graph(): RunGraph;
}

/** Options of {@link runBundles$}. */
export interface RunBundlesOptions {
  /** Which view: the DAG (default) or the timeline. */
  readonly view?: "dag" | "timeline";
  /** Where the timing runs; tests pass a virtual-time scheduler. */
  readonly scheduler?: SchedulerLike;
}

/**
 * The bundles of a run's view: one at once, then at most four a second while events arrive,
 * and always one of the final state when the run ends; then it completes. The view folds the
 * run's events into its own model of the graph; a render never runs on the engine's call
 * stack, and at most one runs at a time (updates that arrive meanwhile go into the next one).
 *
 * @example
 * runBundles$(run).subscribe((bundle) => display.update(bundle));
 */
export function runBundles$(
  run: FollowedRun,
  options: RunBundlesOptions = {},
): Observable<MimeBundle> {
  return defer(() => {
    // One layout per subscription: a node placed in this view never moves.
    const layout = new AppendOnlyLayout();
    const model = new GraphModel(run.graph());
    const since = Date.now();
    // while it runs, the DAG says how far it has got under its title, and so does the text
    const draw = async (graph: RunGraph): Promise<MimeBundle> => {
      if (options.view === "timeline") return timelineBundle(graph);
      if (!isLive(graph)) return dagBundle(graph, { layout });
      const started = Math.min(since, ...graph.tasks.map((t) => t.createdAt));
      const progress = progressText(runProgress(graph.tasks, started));
      const bundle = await dagBundle(graph, { layout, subtitle: progress });
      return { ...bundle, "text/plain": `${String(bundle["text/plain"])}\n${progress}` };
    };
    // the run's last picture, which stays in the notebook, also carries a PNG
    const render = async (graph: RunGraph): Promise<MimeBundle> =>
      isLive(graph) ? draw(graph) : withPng(await draw(graph));
    return run.events$.pipe(
      filter((event) => model.apply(event)),
      startWith(undefined),
      liveThrottle(options.scheduler),
      exhaustLatest(() => render(model.graph())),
    );
  });
}
