/**
 * Keeps the locks of the BullMQ jobs a worker holds from a thread of its own. BullMQ renews a
 * worker's locks from the worker's own event loop, so a loop stuck for most of a lock (a
 * synchronous store flush or read waiting on the disk or on SQLite's lock, a long collection,
 * a machine so loaded that the thread is not run) lost its jobs to another worker while it
 * was alive, and they ran twice. The keeper's thread renews them too, on its own connection,
 * every {@link KeeperTiming.renewEveryMs}, whatever the worker's thread is doing: the jobs it
 * holds are in memory the two threads share (held-locks.ts), so starting and ending a job
 * costs no message. Only a process that is not run at all (stopped, or dead: then its jobs
 * must go to another worker) lets its locks lapse, and a thread stuck for good: the worker's
 * thread beats (a time in shared memory, every renewal period) and the keeper stops renewing
 * once the last beat is older than {@link KeeperTiming.maxStallMs}, so a run whose flow never
 * yields (a synchronous endless loop) is not held for ever by a worker that cannot run it.
 *
 *   worker's thread ── hold / release (shared slots) ──▶ keeper's thread ── extendLocks ──▶ broker
 */
import type { Worker } from "node:worker_threads";
import { startThread } from "../../store/start-thread.js";
import type { Broker } from "./broker-connection.js";
import { HeldLocks } from "./held-locks.js";
import type { LockKeeperData } from "./lock-keeper-thread.js";

/**
 * How long a lock lasts, how often the keeper renews the locks held, and the longest the
 * worker's thread may be stuck before its locks are left to lapse.
 */
export interface KeeperTiming {
  readonly lockDuration: number;
  readonly renewEveryMs: number;
  readonly maxStallMs: number;
}

/** A job held: what {@link LockKeeper.release} takes back. */
export type HeldSlot = number | undefined;

/** The lock keeper of one worker process. */
export class LockKeeper {
  readonly #held: HeldLocks;
  readonly #queues: readonly string[];
  readonly #thread: Worker;
  readonly #exited: Promise<void>;
  readonly #ready: Promise<void>;
  readonly #beats: NodeJS.Timeout;

  /**
   * Starts the keeper of the jobs of `queues` on `broker`, at most `slots` held at once (more
   * are left to BullMQ's renewal alone); `onError` hears why its thread stopped, if it does.
   */
  constructor(
    broker: Broker,
    queues: readonly string[],
    slots: number,
    timing: KeeperTiming,
    onError: (error: Error) => void,
  ) {
    this.#held = new HeldLocks(slots);
    this.#queues = queues;
    const beat = new BigInt64Array(new SharedArrayBuffer(8));
    const beatNow = () => Atomics.store(beat, 0, BigInt(Date.now()));
    beatNow();
    this.#beats = setInterval(beatNow, timing.renewEveryMs).unref();
    const workerData: LockKeeperData = {
      url: broker.url,
      prefix: broker.prefix,
      queues,
      buffer: this.#held.buffer,
      beat: beat.buffer,
      ...timing,
    };
    this.#thread = startThread(new URL("./lock-keeper-thread", import.meta.url), { workerData });
    this.#thread.on("error", onError);
    this.#exited = new Promise<void>((resolve) => this.#thread.once("exit", () => resolve()));
    this.#ready = Promise.race([
      new Promise<void>((resolve) => this.#thread.once("message", () => resolve())),
      this.#exited,
    ]);
    // it never keeps the process alive by itself
    this.#thread.unref();
  }

  /** Resolves once the thread has reached the broker (or stopped trying). */
  ready(): Promise<void> {
    return this.#ready;
  }

  /** Keeps the lock of job `id` of `queue` (taken with `token`) until it is released. */
  hold(queue: string, id: string | undefined, token: string | undefined): HeldSlot {
    if (id === undefined || token === undefined) return undefined;
    return this.#held.hold(this.#queues.indexOf(queue), id, token);
  }

  /** The job ended here: its lock is no longer kept. */
  release(slot: HeldSlot): void {
    if (slot !== undefined) this.#held.release(slot);
  }

  /** Runs `work`, the lock of job `id` of `queue` (taken with `token`) kept until it ends. */
  async keeping<T>(
    queue: string,
    id: string | undefined,
    token: string | undefined,
    work: () => Promise<T>,
  ): Promise<T> {
    const slot = this.hold(queue, id, token);
    try {
      return await work();
    } finally {
      this.release(slot);
    }
  }

  /** Stops the thread (after its renewals under way). */
  async close(): Promise<void> {
    clearInterval(this.#beats);
    this.#thread.postMessage("close");
    await this.#exited;
  }
}
