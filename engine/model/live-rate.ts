/**
 * How often a live view of a run updates: the one place the rate is set, for the notebook
 * display, its text fallback and the live page.
 */
import type { MonoTypeOperatorFunction, SchedulerLike } from "rxjs";
import { throttleLatest } from "./throttle-latest.js";

/** The time between two updates of a live view, in ms: four a second. */
export const LIVE_INTERVAL = 250;

/** Throttles a live view's updates to the live rate (see `throttleLatest`). */
export function liveThrottle<T>(scheduler?: SchedulerLike): MonoTypeOperatorFunction<T> {
  return throttleLatest<T>(LIVE_INTERVAL, scheduler);
}
