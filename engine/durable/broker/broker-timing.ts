/**
 * How BullMQ watches the workers of a profile: a worker renews the lock of each job it holds
 * every `lockDuration / 2`; a job whose lock lapsed (its worker died, SIGKILL included) is moved
 * back to waiting by the stalled check that runs every `stalledInterval` in every worker, at
 * most `maxStalledCount` times before it fails. A run is held by its worker for its whole life.
 *
 * The lock's duration is `WORKGRAPH_BROKER_LOCK_MS` when set (read here only, when a worker or
 * a command starts), else 20 s; the stalled check runs four times per lock duration. A short
 * lock lets a dead worker's jobs run again sooner, at the price of more renewals, and of a
 * worker whose event loop stalls longer than the lock losing its jobs to another (which then
 * run twice): keep the default on loaded machines.
 */

/** The lock's duration by default, and the shortest one accepted. */
const DEFAULT_LOCK_MS = 20_000;
const MIN_LOCK_MS = 1_000;

/** Lock, stalled check and limit for the BullMQ workers of flows and of job tasks. */
export interface WorkerTiming {
  readonly lockDuration: number;
  readonly stalledInterval: number;
  readonly maxStalledCount: number;
}

/** The timing of BullMQ's workers: `WORKGRAPH_BROKER_LOCK_MS`, else the defaults. */
export function workerTiming(): WorkerTiming {
  const text = process.env.WORKGRAPH_BROKER_LOCK_MS;
  if (text !== undefined && text !== "") {
    const ms = Number(text);
    if (!Number.isInteger(ms) || ms < MIN_LOCK_MS) {
      throw new Error(
        `WORKGRAPH_BROKER_LOCK_MS must be a whole number of milliseconds, at least ${MIN_LOCK_MS}; it is ${JSON.stringify(text)}`,
      );
    }
    return { lockDuration: ms, stalledInterval: Math.ceil(ms / 4), maxStalledCount: 3 };
  }
  return { lockDuration: DEFAULT_LOCK_MS, stalledInterval: 5_000, maxStalledCount: 3 };
}

/** A job's completion that failed (the broker out of reach) is tried again this soon. */
export const RUN_RETRY_DELAY_MS = 1_000;

/** How many flows one worker runs at once (they mostly wait for their jobs). */
export const FLOWS_PER_WORKER = 16;
