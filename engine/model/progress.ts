/**
 * How far a run has got, for the progress line of live views (the notebook display, its text
 * fallback): tasks done of those called so far, the rate, the time since it started.
 */
import { formatDuration } from "./format-duration.js";
import { isTerminalTask, type TaskState } from "./states.js";

/** A run's progress at one moment. */
export interface RunProgress {
  /** Tasks that have ended, whichever way. */
  readonly done: number;
  /** Tasks called so far. */
  readonly total: number;
  readonly elapsedMs: number;
  /** Tasks ended per second since the start. */
  readonly perSecond: number;
}

/** The progress of a run whose tasks are these, started at `startedAt` (ms since the epoch). */
export function runProgress(
  tasks: readonly { readonly state?: TaskState }[],
  startedAt: number,
  now = Date.now(),
): RunProgress {
  let done = 0;
  for (const task of tasks) if (task.state !== undefined && isTerminalTask(task.state)) done++;
  const elapsedMs = Math.max(0, now - startedAt);
  return {
    done,
    total: tasks.length,
    elapsedMs,
    perSecond: elapsedMs > 0 ? (done * 1000) / elapsedMs : 0,
  };
}

/** `6,000 / 10,001 tasks done · 2,345 tasks/s · 4.20 s` */
export function progressText(progress: RunProgress): string {
  const n = (value: number) => Math.round(value).toLocaleString("en");
  return `${n(progress.done)} / ${n(progress.total)} tasks done · ${n(progress.perSecond)} tasks/s · ${formatDuration(progress.elapsedMs)}`;
}
