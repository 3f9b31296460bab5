/**
 * Every run started in this process, as it starts: how a kernel or a live page finds the runs
 * a cell started without the cell's code handing them over.
 */
import { Subject, type Observable } from "rxjs";
import type { Run } from "./run-handle.js";

const started = new Subject<Run>();

/** Emits each run when `run()` starts it, synchronously, in the caller's async context. */
export const runStarted$: Observable<Run> = started.asObservable();

/** Announces a run that has just been created. */
export function announceRun(run: Run): void {
  started.next(run);
}
