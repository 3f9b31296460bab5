/**
 * A plain live display of a run: a text summary (`run.summary()` and one line per task),
 * redrawn as its events arrive: the live display when the Vega-Lite views cannot be had.
 */
import { map, startWith, type Observable } from "rxjs";
import type { Run } from "../../engine/index.js";
import type { MimeBundle } from "../../engine/model/symbols.js";
import { throttleLatest } from "../../engine/model/throttle-latest.js";

/** How a run is drawn: a stream of bundles that completes when the run ends. */
export type RunBundles = (run: Run) => Observable<MimeBundle>;

/** At most this many task lines; the rest are counted. */
const MAX_TASK_LINES = 20;

/** Text summaries of a run, one per `periodMs` at most (the text costs O(tasks) to build). */
export function summaryBundles(periodMs = 250): RunBundles {
  return (run) =>
    run.events$.pipe(
      throttleLatest(periodMs),
      startWith(undefined),
      map(() => ({ "text/plain": summaryText(run) })),
    );
}

/** `add_multiply (pk 3): FINISHED, 2 tasks, 2 FINISHED` and a line per task. */
export function summaryText(run: Run): string {
  const tasks = run.tasks;
  const width = Math.max(0, ...tasks.slice(0, MAX_TASK_LINES).map((t) => t.name.length));
  const lines = tasks.slice(0, MAX_TASK_LINES).map((t) => `  ${t.name.padEnd(width)}  ${t.state}`);
  if (tasks.length > MAX_TASK_LINES) lines.push(`  … and ${tasks.length - MAX_TASK_LINES} more`);
  return [run.summary(), ...lines].join("\n");
}
