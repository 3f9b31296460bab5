/**
 * How BullMQ watches the workers of a profile: a worker renews the lock of each job it holds
 * every `lockDuration / 2`; a job whose lock lapsed (its worker died, SIGKILL included) is moved
 * back to waiting by the stalled check that runs every `stalledInterval` in every worker, at
 * most `maxStalledCount` times before it fails. A run is held by its worker for its whole life.
 */

/** Lock, stalled check and limit for the BullMQ workers of flows and of job tasks. */
export const WORKER_TIMING = {
  lockDuration: 20_000,
  stalledInterval: 5_000,
  maxStalledCount: 3,
  /** A job's completion that failed (the broker out of reach) is tried again this soon. */
  runRetryDelay: 1_000,
} as const;

/** How many flows one worker runs at once (they mostly wait for their jobs). */
export const FLOWS_PER_WORKER = 16;
