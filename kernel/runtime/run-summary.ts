/**
 * A plain live display of a run: a text summary (a line for the run and one per task),
 * redrawn as its events arrive: the live display when the Vega-Lite views cannot be had.
 */
import { defer, filter, map, startWith, type Observable } from "rxjs";
import { isTerminalRun, type RunGraph } from "../../engine/index.js";
import type { ShownRun } from "./live-run.js";
import { GraphModel, liveThrottle, progressText, runProgress } from "../../engine/plumbing.js";
import type { MimeBundle } from "../../engine/index.js";

/** How a run is drawn: a stream of bundles that completes when the run ends. */
export type RunBundles = (run: ShownRun) => Observable<MimeBundle>;

/** At most this many task lines; the rest are counted. */
const MAX_TASK_LINES = 20;

/** Text summaries of a run, at the live rate (the text costs O(tasks) to build). */
export function summaryBundles(): RunBundles {
  return (run) =>
    defer(() => {
      const model = new GraphModel(run.graph());
      const since = Math.min(Date.now(), run.createdAt);
      return run.events$.pipe(
        filter((event) => model.apply(event)),
        startWith(undefined),
        liveThrottle(),
        map(() => ({ "text/plain": summaryText(model.graph(), since) })),
      );
    });
}

/**
 * `add_multiply (pk 3): FINISHED, 2 tasks, 2 FINISHED` and a line per task; while the run goes
 * on (given when it started), a progress line under the first.
 */
export function summaryText(graph: RunGraph, startedAt?: number): string {
  const tasks = graph.tasks;
  const counts = new Map<string, number>();
  for (const task of tasks) counts.set(task.state, (counts.get(task.state) ?? 0) + 1);
  const parts = [...counts].map(([state, n]) => `${n} ${state}`);
  const head = `${graph.name} (pk ${graph.pk}): ${graph.state}, ${tasks.length} task${tasks.length === 1 ? "" : "s"}${parts.length > 0 ? `, ${parts.join(", ")}` : ""}`;
  const shown = tasks.slice(0, MAX_TASK_LINES);
  const width = Math.max(0, ...shown.map((t) => t.name.length));
  const lines = shown.map((t) => `  ${t.name.padEnd(width)}  ${t.state}`);
  if (tasks.length > MAX_TASK_LINES) lines.push(`  … and ${tasks.length - MAX_TASK_LINES} more`);
  const live = startedAt !== undefined && !isTerminalRun(graph.state);
  const progress = live ? [`  ${progressText(runProgress(tasks, startedAt))}`] : [];
  return [head, ...progress, ...lines].join("\n");
}
