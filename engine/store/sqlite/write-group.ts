/**
 * Groups writes into few transactions. A turn that writes only queues its rows (in memory,
 * pending-writes.ts) and makes sure its end (`setImmediate`) comes: there the rows go in, in
 * one `BEGIN IMMEDIATE` transaction, if the last commit is at least `windowMs` old, else a
 * timer commits them when the window is over. So the write lock is taken only when rows
 * actually go in, and held for that commit alone: a burst of short turns (job results arriving
 * one or a few at a time) pays one transaction per window, and the turns between pay nothing
 * for the file. A turn's checks (does this node exist?) read the file outside any transaction,
 * each seeing what is committed; rows queued by this process are found in memory. A lone write
 * still commits at the end of its turn; a turn that reads after writing (reads see every write)
 * or holds too many rows opens the transaction then, hands it the rows, and commits at its end.
 * A process killed loses the rows not yet committed (at most `windowMs` of them, or one long
 * turn) whole, never half of them.
 *
 * pks (pk-sequence.ts) are claimed in blocks from a side file and kept while the rows that use
 * them wait; what is left goes back when the rows are committed, under the write lock, so the
 * next process to write follows on.
 *
 * When another process holds the write lock past a short wait, nothing blocks and nothing
 * fails: rows queue in memory (the run goes on) and a timer retries, backing off, until the
 * lock is free. Past `unavailableAfterMs` the listeners hear a {@link StoreUnavailableError}
 * (runs end with it); the rows stay queued and the retries go on.
 */
import type Database from "better-sqlite3";
import { StoreUnavailableError, StoreWriteError } from "../store-errors.js";
import type { PendingWrites } from "./pending-writes.js";
import type { PkSequence } from "./pk-sequence.js";
import type { BatchWriter } from "./write-batch.js";
import { isBusy } from "./busy.js";

/** How long taking the write lock for a commit may block the event loop, in ms. */
export const TURN_WAIT_MS = 50;

/**
 * Commits are at least this far apart while writes keep coming, in ms: what a crash can lose
 * at most, and what one commit's cost is shared over.
 */
export const COMMIT_WINDOW_MS = 4;

const FIRST_RETRY_MS = 10;
const LAST_RETRY_MS = 250;

/** How the write group is set up. */
export interface WriteGroupOptions {
  /** The store file, for messages. */
  readonly file: string;
  /** How long the store may stay locked by others before runs are told, in ms. */
  readonly unavailableAfterMs: number;
  /** Commits are at least this far apart while writes keep coming, in ms (0: every turn). */
  readonly windowMs: number;
}

/** When the queued rows go in, and the queue while another process holds the lock. */
export class WriteGroup {
  readonly #begin: Database.Statement;
  readonly #commit: Database.Statement;
  readonly #rollback: Database.Statement;
  /** Whether this group's transaction is open (rows went in; it commits at the turn's end). */
  #open = false;
  #turnEnding = false;
  /** Set while rows wait in memory for their window to end. */
  #groupTimer: NodeJS.Timeout | undefined;
  /** When the last group committed (performance.now()). */
  #committedAt = -Infinity;
  /** Since when the lock has been out of reach; undefined while it is not. */
  #waitingSince: number | undefined;
  #retry: NodeJS.Timeout | undefined;
  #retryMs = FIRST_RETRY_MS;
  #unavailable: StoreUnavailableError | undefined;
  readonly #listeners = new Set<(error: Error) => void>();
  readonly #endTurn = (): void => {
    this.#turnEnding = false;
    if (this.#open) {
      this.commit();
      return;
    }
    if (this.pending.empty || this.#waitingSince !== undefined) {
      // Nothing waits for a commit of ours (or the lock is out of reach for a while): the pks
      // not used go back, so other processes' pks follow on.
      this.pks.settle();
      return;
    }
    const due = this.#committedAt + this.options.windowMs - performance.now();
    if (due <= 0) {
      if (!this.#attempt()) this.#startWaiting();
    } else if (this.#groupTimer === undefined) {
      this.#groupTimer = setTimeout(this.#endGroup, Math.ceil(due));
    }
  };
  readonly #endGroup = (): void => {
    this.#groupTimer = undefined;
    if (this.#open || this.#waitingSince !== undefined || this.pending.empty) return;
    if (!this.#attempt()) this.#startWaiting();
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
    private readonly writer: BatchWriter,
  ) {
    pending.sink = (batch) => writer.write(batch);
    // IMMEDIATE takes the write lock at once: the group's rows go in as one transaction.
    this.#begin = db.prepare("BEGIN IMMEDIATE");
    this.#commit = db.prepare("COMMIT");
    this.#rollback = db.prepare("ROLLBACK");
    pending.canDrain = () => this.#openNow();
  }

  /** Whether rows wait for the lock another process holds. */
  get waiting(): boolean {
    return this.#waitingSince !== undefined;
  }

  /** Called before each write (refused once the store is closed): makes sure the turn's end is due. */
  enter(): void {
    if (!this.db.open) throw new StoreWriteError(this.options.file, "the store is closed");
    if (!this.#turnEnding) {
      this.#turnEnding = true;
      setImmediate(this.#endTurn);
    }
  }

  /**
   * Before a read: so that reads see the queued rows, a turn that wrote hands them to its
   * transaction (opened now if it is not), which commits at the turn's end; a turn that only
   * reads commits the rows of earlier turns at once. While the lock is out of reach, reads see
   * what is committed.
   */
  drain(): void {
    if (this.pending.empty || this.#waitingSince !== undefined) return;
    if (!this.#turnEnding && !this.#open) {
      this.commit();
      return;
    }
    if (this.#openNow()) this.pending.drain();
  }

  /** Inserts the queued rows and commits now; while the lock is out of reach, tries once. */
  commit(): void {
    if (this.#groupTimer !== undefined) {
      clearTimeout(this.#groupTimer);
      this.#groupTimer = undefined;
    }
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
  onUnavailable(listener: (error: Error) => void): () => void {
    this.#listeners.add(listener);
    const already = this.#unavailable;
    if (already !== undefined) queueMicrotask(() => listener(already));
    return () => this.#listeners.delete(listener);
  }

  /** Stops retrying (the store is closing). */
  stop(_ms?: number): void {
    this.#stopRetrying();
    if (this.#groupTimer !== undefined) clearTimeout(this.#groupTimer);
    this.#groupTimer = undefined;
  }

  /** Takes the lock, inserts what waits and commits; false when the lock is out of reach. */
  #attempt(): boolean {
    if (this.#open || this.db.inTransaction) return false;
    if (!this.#tryBegin()) return false;
    this.#finish();
    this.#stopWaiting();
    return true;
  }

  /**
   * Opens this group's transaction if it is not open (the rows then go in now, and it commits
   * at the turn's end); false while another transaction is open or the lock is out of reach.
   */
  #openNow(): boolean {
    if (this.#open) return true;
    if (this.#waitingSince !== undefined || this.db.inTransaction) return false;
    if (!this.#tryBegin()) {
      this.#startWaiting();
      return false;
    }
    this.#open = true;
    if (!this.#turnEnding) {
      this.#turnEnding = true;
      setImmediate(this.#endTurn);
    }
    return true;
  }

  #finish(): void {
    try {
      this.pending.drain();
      // Unused pks go back while the lock is ours, so the next holder's pks follow on.
      this.pks.settle();
      this.#commit.run();
      this.#committedAt = performance.now();
    } catch (error) {
      // All of it or none of it: a half-inserted group must not be committed later.
      if (this.db.inTransaction) this.#rollback.run();
      throw error;
    } finally {
      this.pending.reset();
      this.writer.forget();
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
    this.#stopRetrying();
  }

  #stopRetrying(): void {
    if (this.#retry !== undefined) clearTimeout(this.#retry);
    this.#retry = undefined;
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
