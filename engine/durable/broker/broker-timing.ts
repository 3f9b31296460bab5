/**
 * How BullMQ watches the workers of a profile: a worker renews the lock of each job it holds
 * (`lockRenewTime`, below); a job whose lock lapsed (its worker died, SIGKILL included) is
 * moved back to waiting by the stalled check that runs every `stalledInterval` in every
 * worker, at most `maxStalledCount` times before it fails. A run is held by its worker for
 * its whole life.
 *
 * The lock's duration is `WORKGRAPH_BROKER_LOCK_MS` when set (read here only, when a worker or
 * a command starts), else 20 s; the stalled check runs four times per lock duration. A short
 * lock lets a dead worker's jobs run again sooner, at the price of more renewals, and of a
 * worker whose process is not run for longer than the lock (a loaded machine) losing its jobs
 * to another (which then run twice): keep the default on loaded machines. A worker whose event
 * loop alone is stuck keeps them: its lock keeper's thread renews them too (lock-keeper.ts).
 */

/** The lock's duration by default, and the shortest one accepted. */
const DEFAULT_LOCK_MS = 20_000;
const MIN_LOCK_MS = 1_000;

/** Lock, its renewal, stalled check and limit for the BullMQ workers of flows and job tasks. */
export interface WorkerTiming {
  readonly lockDuration: number;
  /**
   * A quarter of the lock. BullMQ's lock timer fires every `lockRenewTime / 2` and renews only
   * the locks taken or renewed more than `lockRenewTime / 2` before, so a job's first renewal
   * comes up to `lockRenewTime` after its start: with BullMQ's default (half the lock), half
   * the lock after, and a worker whose event loop or broker lagged the other half lost the job
   * while alive (the likely way a bundle ran twice with 5 s locks at load 14). With a quarter, the first
   * renewal comes within a quarter of the lock, the next ones every eighth or so, and only a
   * lag of three quarters of the lock loses a job (a lag of the event loop alone no longer
   * does: the lock keeper renews every eighth of the lock from a thread of its own).
   */
  readonly lockRenewTime: number;
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
    return {
      lockDuration: ms,
      lockRenewTime: Math.floor(ms / 4),
      stalledInterval: Math.ceil(ms / 4),
      maxStalledCount: 3,
    };
  }
  return {
    lockDuration: DEFAULT_LOCK_MS,
    lockRenewTime: DEFAULT_LOCK_MS / 4,
    stalledInterval: 5_000,
    maxStalledCount: 3,
  };
}

/**
 * The longest a worker's thread may be stuck while its lock keeper still renews its locks: past
 * it the thread is taken to be stuck for good (a flow in a synchronous endless loop), and its
 * jobs and runs lapse to another worker as a dead worker's would. Two minutes: twice the
 * longest wait the store itself allows (a flush waits at most 60 s for the writer thread).
 */
export const KEEPER_MAX_STALL_MS = 120_000;

/** A job's completion that failed (the broker out of reach) is tried again this soon. */
export const RUN_RETRY_DELAY_MS = 1_000;

/** How many flows one worker runs at once (they mostly wait for their jobs). */
export const FLOWS_PER_WORKER = 16;
