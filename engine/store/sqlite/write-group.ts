/**
 * Groups the writes of one event-loop turn into one transaction: the first write opens it, and
 * it commits on `setImmediate` (or on `commit()`). A process killed mid-turn loses that turn's
 * rows whole, never half of them, and a busy run pays for one commit per turn, not per row.
 *
 * When another process holds the write lock past a short wait, nothing blocks and nothing
 * fails: rows queue in memory (the run goes on) and a timer retries, backing off, until the
 * lock is free. Past `unavailableAfterMs` the listeners hear a {@link StoreUnavailableError}
 * (runs end with it); the rows stay queued and the retries go on.
 */
import type Database from "better-sqlite3";
import { StoreUnavailableError } from "../store-errors.js";
import type { PendingWrites } from "./pending-writes.js";
import type { PkSequence } from "./pk-sequence.js";

/** How long opening a turn's transaction may block the event loop, in ms. */
export const TURN_WAIT_MS = 50;

const FIRST_RETRY_MS = 10;
const LAST_RETRY_MS = 250;

/** How the write group is set up. */
export interface WriteGroupOptions {
  /** The store file, for messages. */
  readonly file: string;
  /** How long the store may stay locked by others before runs are told, in ms. */
  readonly unavailableAfterMs: number;
}

/** The transaction of the current event-loop turn, and the queue while the lock is taken. */
export class WriteGroup {
  readonly #begin: Database.Statement;
  readonly #commit: Database.Statement;
  readonly #rollback: Database.Statement;
  #open = false;
  #turnEnding = false;
  /** Since when the lock has been out of reach; undefined while it is not. */
  #waitingSince: number | undefined;
  #retry: NodeJS.Timeout | undefined;
  #retryMs = FIRST_RETRY_MS;
  #unavailable: StoreUnavailableError | undefined;
  readonly #listeners = new Set<(error: StoreUnavailableError) => void>();
  readonly #endTurn = (): void => {
    this.#turnEnding = false;
    if (this.#open) this.commit();
    this.pks.settle();
  };
  readonly #onRetry = (): void => {
    this.#retry = undefined;
    if (this.#attempt()) return;
    this.#checkLimit();
    this.#scheduleRetry();
  };

  constructor(
    private readonly db: Database.Database,
    private readonly pending: PendingWrites,
    private readonly pks: PkSequence,
    private readonly options: WriteGroupOptions,
  ) {
    // IMMEDIATE takes the write lock at once: the turn's rows go in as one transaction.
    this.#begin = db.prepare("BEGIN IMMEDIATE");
    this.#commit = db.prepare("COMMIT");
    this.#rollback = db.prepare("ROLLBACK");
    pending.canDrain = () => this.#open;
  }

  /** Whether the turn's transaction is open (rows and changes can go in at once). */
  get open(): boolean {
    return this.#open;
  }

  /** Whether rows wait for the lock another process holds. */
  get waiting(): boolean {
    return this.#waitingSince !== undefined;
  }

  /** Called before each write: opens the turn's transaction if none is open and it can. */
  enter(): void {
    if (!this.#turnEnding) {
      this.#turnEnding = true;
      setImmediate(this.#endTurn);
    }
    if (this.#open || this.#waitingSince !== undefined || this.db.inTransaction) return;
    if (this.#tryBegin()) this.#open = true;
    else this.#startWaiting();
  }

  /** Inserts the queued rows and commits now; while the lock is out of reach, tries once. */
  commit(): void {
    if (this.#open) {
      this.#open = false;
      this.#finish();
    } else if (!this.pending.empty) {
      this.#attempt();
    }
  }

  /** Commits what waits, blocking up to `ms` for the lock; whether nothing is left waiting. */
  commitWaiting(ms: number): boolean {
    this.commit();
    if (this.pending.empty) return true;
    this.db.pragma(`busy_timeout = ${Math.max(0, Math.round(ms))}`);
    try {
      return this.#attempt();
    } finally {
      this.db.pragma(`busy_timeout = ${TURN_WAIT_MS}`);
    }
  }

  /** Calls `listener` when the store has been out of reach too long; returns how to stop. */
  onUnavailable(listener: (error: StoreUnavailableError) => void): () => void {
    this.#listeners.add(listener);
    const already = this.#unavailable;
    if (already !== undefined) queueMicrotask(() => listener(already));
    return () => this.#listeners.delete(listener);
  }

  /** Stops retrying (the store is closing). */
  stop(): void {
    if (this.#retry !== undefined) clearTimeout(this.#retry);
    this.#retry = undefined;
  }

  /** Takes the lock, inserts what waits and commits; false when the lock is out of reach. */
  #attempt(): boolean {
    if (this.#open || this.db.inTransaction) return false;
    if (!this.#tryBegin()) return false;
    this.#finish();
    this.#stopWaiting();
    return true;
  }

  #finish(): void {
    try {
      this.pending.drain();
      // Unused pks go back while the lock is ours, so the next holder's pks follow on.
      this.pks.settle();
      this.#commit.run();
    } catch (error) {
      // All of it or none of it: a half-inserted group must not be committed later.
      if (this.db.inTransaction) this.#rollback.run();
      throw error;
    } finally {
      this.pending.reset();
    }
  }

  #tryBegin(): boolean {
    try {
      this.#begin.run();
      return true;
    } catch (error) {
      if (isBusy(error)) return false;
      throw error;
    }
  }

  #startWaiting(): void {
    this.#waitingSince = Date.now();
    this.#scheduleRetry();
  }

  #stopWaiting(): void {
    this.#waitingSince = undefined;
    this.#unavailable = undefined;
    this.#retryMs = FIRST_RETRY_MS;
    this.stop();
  }

  #scheduleRetry(): void {
    if (this.#retry !== undefined) return;
    // Unref'd: a process with nothing else to do exits, and its exit commits what it can.
    this.#retry = setTimeout(this.#onRetry, this.#retryMs).unref();
    this.#retryMs = Math.min(this.#retryMs * 2, LAST_RETRY_MS);
  }

  #checkLimit(): void {
    const since = this.#waitingSince;
    if (since === undefined || this.#unavailable !== undefined) return;
    const waited = Date.now() - since;
    if (waited < this.options.unavailableAfterMs) return;
    const error = new StoreUnavailableError(this.options.file, waited);
    this.#unavailable = error;
    for (const listener of [...this.#listeners]) listener(error);
  }
}

/** Whether an error is SQLite's "another connection holds the lock". */
export function isBusy(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" && code.startsWith("SQLITE_BUSY");
}
