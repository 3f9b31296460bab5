/**
 * Groups writes into batches for the writer thread (sqlite-writer.ts), the store file's
 * counterpart of write-group.ts. A turn that writes only queues its rows (pending-writes.ts);
 * at its end (`setImmediate`) they are posted as one batch if the last post is at least
 * `windowMs` old, else a timer posts them when the window is over. The thread writes the
 * batches in order while the engine goes on; this thread never takes the write lock for them.
 * When it falls behind, posting waits while 32 batches are on their way, so their copies do
 * not pile up in memory.
 *
 *   writes ──▶ rows queued (pending-writes.ts) ──turn's end / window──▶ batch, posted ─┐
 *   flush, reads ──▶ post what is queued, block (Atomics.wait) until written ────────┤
 *                                                                                  ▼
 *            writer thread: one connection, batches in order, those queued together in
 *            one BEGIN IMMEDIATE transaction; while the lock is out of reach it retries
 *
 * The types of the nodes posted are kept (batches-in-flight.ts, known-types.ts), on their way
 * and once committed, so links and updates naming them are checked without reading the file. A read first waits until every
 * row queued is committed, so it sees them all (as with the in-thread group); while another
 * process holds the lock, reads see what is committed.
 *
 * While the lock is out of reach (the thread reports it busy), no further batch is posted:
 * rows queue in memory, where a task's later changes still fold into its row, and go as one
 * batch when the thread has written what it holds. Past `unavailableAfterMs` the listeners
 * hear a {@link StoreUnavailableError}. A batch SQLite refuses (or the thread's death) is told
 * to the listeners too, and thrown once by the next flush.
 *
 * Why by hand (as the PostgreSQL store's thread is): writes must not wait for an answer, while
 * reads and flushes must wait for every write posted before them, on one ordered channel.
 */
import type Database from "better-sqlite3";
import { StoreUnavailableError, StoreWriteError } from "../store-errors.js";
import type { PendingWrites } from "./pending-writes.js";
import type { PkSequence } from "./pk-sequence.js";
import { BatchesInFlight, nodesOf } from "./batches-in-flight.js";
import {
  emptyBatch,
  isEmptyBatch,
  rowsOf,
  type BatchWriter,
  type WriteBatch,
} from "./write-batch.js";
import { isBusy } from "./busy.js";
import { TURN_WAIT_MS, type WriteGroupOptions } from "./write-group.js";
import type { WriterReply } from "./writer-protocol.js";
import { WriterLine } from "./writer-thread.js";

/**
 * Rows queued within one turn past which they are posted at once (but the rows of tasks not
 * yet ended): a long turn (thousands of tasks run in microtasks) is written while it goes on.
 * The first post of a turn comes at {@link FIRST_BATCH_ROWS}, so the thread starts writing
 * while the engine is still at the turn's first tasks; each post doubles the next one's size,
 * up to {@link EARLY_BATCH_ROWS} for the turn's first {@link LONG_TURN_POSTS} posts, then up to
 * this. A constant 1,024 halved a 1,000-task chain's wait for the thread at its end, but a
 * million-task fan-out took 50 / 74 µs a task where 4,096 took 35 / 44 (two interleaved pairs,
 * load 7-9 on 2 cores): a long turn's posts grow back to 4,096.
 */
const BATCH_ROWS = 4096;
const FIRST_BATCH_ROWS = 256;
const EARLY_BATCH_ROWS = 1024;
const LONG_TURN_POSTS = 16;

/**
 * A batch of at most this many rows, with nothing else on its way, is written on this thread
 * (a job result's turn: a handful of rows): handing it over and waiting for it would cost more
 * than writing it, and a run's last rows are then committed without waking the thread.
 */
const HERE_ROWS = 512;

/**
 * Batches posted and not yet committed past which posting waits for the thread: when it writes
 * slower than the engine queues rows (a long turn queues a million tasks' rows), their copies
 * would pile up in the port, and the allocator keeps much of that memory once it is freed. 32
 * batches are ~130,000 rows: enough that a thread keeping up is never waited for.
 */
const IN_FLIGHT = 32;

/** How long opening the store waits for the writer thread, in ms. */
const OPEN_WAIT_MS = 30_000;

/** How long a flush or a read waits for the thread to write what it was posted, in ms. */
const WRITTEN_WAIT_MS = 60_000;

/** When the queued rows are posted to the writer thread, and what it has committed. */
export class ThreadGroup {
  #line: WriterLine | undefined;
  #posted = 0;
  #written = 0;
  readonly #inFlight = new BatchesInFlight();
  #turnEnding = false;
  /** Batches posted part-way through this turn. */
  #turnPosts = 0;
  #groupTimer: NodeJS.Timeout | undefined;
  /** When the last batch was posted (performance.now()). */
  #postedAt = -Infinity;
  /** Since when the lock has been out of reach; undefined while it is not. */
  #waitingSince: number | undefined;
  #unavailable: StoreUnavailableError | undefined;
  #failed: StoreWriteError | undefined;
  /** Set when the thread itself ended: nothing more can be written. */
  #broken: StoreWriteError | undefined;
  #stopped = false;
  readonly #listeners = new Set<(error: Error) => void>();
  readonly #endTurn = (): void => {
    this.#turnEnding = false;
    this.pending.bound = FIRST_BATCH_ROWS;
    this.#turnPosts = 0;
    if (this.pending.empty) {
      // The pks not used go back, and the next turn's block starts small again (a long
      // turn's batches posted part-way kept it large).
      this.pks.settle();
      return;
    }
    if (this.#waitingSince !== undefined) return;
    const due = this.#postedAt + this.options.windowMs - performance.now();
    if (due <= 0) this.#post();
    else if (this.#groupTimer === undefined) {
      this.#groupTimer = setTimeout(this.#endGroup, Math.ceil(due));
    }
  };
  readonly #endGroup = (): void => {
    this.#groupTimer = undefined;
    if (this.#waitingSince === undefined) this.#post();
  };

  readonly #begin: Database.Statement;
  readonly #commit: Database.Statement;
  readonly #rollback: Database.Statement;

  constructor(
    private readonly db: Database.Database,
    private readonly writer: BatchWriter,
    private readonly pending: PendingWrites,
    private readonly pks: PkSequence,
    private readonly options: WriteGroupOptions,
    /** Whether this thread holds a write transaction of its own (rows must not leave). */
    private readonly holding: () => boolean,
  ) {
    pending.sink = (batch) => {
      this.#turnPosts++;
      const most = this.#turnPosts >= LONG_TURN_POSTS ? BATCH_ROWS : EARLY_BATCH_ROWS;
      pending.bound = Math.min(most, pending.bound * 2);
      this.#send(batch, TURN_WAIT_MS, true);
    };
    pending.canDrain = () => this.#waitingSince === undefined && !holding();
    pending.bound = FIRST_BATCH_ROWS;
    this.#begin = db.prepare("BEGIN IMMEDIATE");
    this.#commit = db.prepare("COMMIT");
    this.#rollback = db.prepare("ROLLBACK");
  }

  /**
   * Opens the thread's connection now (starting the thread takes ~50-100 ms, once a process),
   * so that the first rows are written as soon as they are posted; throws why it could not.
   */
  start(): void {
    this.#line ??= new WriterLine(
      this.options.file,
      {
        hear: (reply) => this.#hear(reply),
        ended: (error) => this.#break(`its writer thread ended: ${error.message}`),
      },
      OPEN_WAIT_MS,
    );
  }

  /** Whether rows wait for the lock another process holds. */
  get waiting(): boolean {
    return this.#waitingSince !== undefined;
  }

  /** The type of a node posted from here (on its way or committed), or written here. */
  sentType(pk: number): string | undefined {
    return this.#inFlight.type(pk);
  }

  /** Called before each write (refused once the store is closed): makes sure the turn's end is due. */
  enter(): void {
    if (this.#stopped) throw new StoreWriteError(this.options.file, "the store is closed");
    if (this.#broken !== undefined) throw this.#broken;
    if (!this.#turnEnding) {
      this.#turnEnding = true;
      setImmediate(this.#endTurn);
    }
  }

  /** Before a read: posts what is queued and waits until it is committed (unless locked out). */
  drain(): void {
    if (this.#waitingSince !== undefined) return;
    if (this.pending.empty && this.#written >= this.#posted) return;
    this.commit();
  }

  /** Posts what is queued and waits until it is committed; while locked out, tries once. */
  commit(): void {
    this.#clearTimer();
    this.#post();
    if (this.#written < this.#posted && this.#waitingSince === undefined) {
      this.#wait(() => this.#written >= this.#posted || this.#waitingSince !== undefined);
    }
    this.#throwIfFailed();
  }

  /** Commits what waits, blocking up to `ms` for the lock; whether nothing is left waiting. */
  commitWaiting(ms: number): boolean {
    this.#clearTimer();
    const batch = this.pending.take();
    if (!isEmptyBatch(batch) || this.#written < this.#posted) {
      // Posted even while locked out: the thread tries again at once, waiting up to `ms`.
      this.#send(batch, Math.max(0, Math.round(ms)));
      this.#wait(() => this.#written >= this.#posted, ms + WRITTEN_WAIT_MS / 60);
    }
    return this.#written >= this.#posted && this.pending.empty && this.#failed === undefined;
  }

  /** Calls `listener` when the store has been out of reach too long; returns how to stop. */
  onUnavailable(listener: (error: Error) => void): () => void {
    this.#listeners.add(listener);
    const already = this.#unavailable ?? this.#failed;
    if (already !== undefined) queueMicrotask(() => listener(already));
    return () => this.#listeners.delete(listener);
  }

  /** Stops posting and closes the thread's connection (waiting up to `ms`). */
  stop(ms: number): void {
    this.#stopped = true;
    this.#clearTimer();
    this.#line?.close(ms);
  }

  #clearTimer(): void {
    if (this.#groupTimer !== undefined) clearTimeout(this.#groupTimer);
    this.#groupTimer = undefined;
  }

  /** Posts the queued rows as one batch (not while locked out, nor inside a transaction). */
  #post(): void {
    if (this.pending.empty || this.#waitingSince !== undefined || this.holding()) return;
    this.#send(this.pending.take(), TURN_WAIT_MS);
  }

  /** `midTurn`: posted part-way through a long turn, whose rows keep coming. */
  #send(batch: WriteBatch, lockWaitMs: number, midTurn = false): void {
    if (this.#broken !== undefined) throw this.#broken;
    // The stored types were checked against what was committed before these rows.
    this.pending.checked.clear();
    if (
      !midTurn &&
      lockWaitMs === TURN_WAIT_MS &&
      this.#written >= this.#posted &&
      rowsOf(batch) <= HERE_ROWS &&
      this.#writeHere(batch)
    ) {
      return;
    }
    if (isEmptyBatch(batch)) {
      if (this.#written < this.#posted) this.#post0(lockWaitMs);
      return;
    }
    // Too many on their way (a long turn hears no replies but here): the replies waiting are
    // heard, then it waits for the thread until it is back under the bound, or reports the
    // lock out of reach. The types of the batches' nodes stay known once they land.
    if (this.#posted - this.#written >= IN_FLIGHT) {
      this.#wait(
        () => this.#posted - this.#written < IN_FLIGHT || this.#waitingSince !== undefined,
      );
    }
    const seq = ++this.#posted;
    this.#inFlight.posted(seq, batch);
    const line = this.#thread();
    // The packed uuids move to the thread (the batch is the thread's from here on).
    line.post({ op: "write", store: line.store, seq, batch, lockWaitMs }, [
      batch.uuids.buffer as ArrayBuffer,
    ]);
    this.#postedAt = performance.now();
    // The pks not used go back, so other processes' pks follow on; not part-way through a long
    // turn, whose rows keep drawing on the block (giving it back, then claiming blocks from
    // 64 pks up again, cost several pk-file transactions a batch).
    if (!midTurn) this.pks.settle();
  }

  /**
   * Writes a small batch on this thread's connection, nothing being on its way before it;
   * false (the batch untouched) when another process holds the lock: then the thread takes it.
   */
  #writeHere(batch: WriteBatch): boolean {
    if (isEmptyBatch(batch) || this.db.inTransaction) return isEmptyBatch(batch);
    try {
      this.#begin.run();
    } catch (error) {
      if (isBusy(error)) return false;
      throw error;
    }
    try {
      // Taken before writing, which turns the values to their stored forms.
      const nodes = nodesOf(batch);
      this.writer.write(batch);
      // Unused pks go back while the lock is ours, so the next holder's pks follow on.
      this.pks.settle();
      this.#commit.run();
      this.#inFlight.written(nodes);
    } catch (error) {
      // All of it or none of it, as in the thread.
      if (this.db.inTransaction) this.#rollback.run();
      this.#fail(error instanceof Error ? error.message : String(error));
    } finally {
      this.writer.forget();
    }
    this.#postedAt = performance.now();
    return true;
  }

  /** An empty batch, so the thread tries the batches it holds again (waiting up to `ms`). */
  #post0(lockWaitMs: number): void {
    const seq = ++this.#posted;
    const batch = emptyBatch();
    this.#inFlight.posted(seq, batch);
    const line = this.#thread();
    line.post({ op: "write", store: line.store, seq, batch, lockWaitMs });
  }

  #wait(done: () => boolean, ms = WRITTEN_WAIT_MS): void {
    this.#line?.waitUntil(() => done() || this.#failed !== undefined, ms);
  }

  #thread(): WriterLine {
    this.start();
    return this.#line as WriterLine;
  }

  /** Nothing more can be written: the thread ended, or cannot open the file. */
  #break(message: string): void {
    if (this.#stopped || this.#broken !== undefined) return;
    this.#broken = new StoreWriteError(this.options.file, message);
    this.#fail(message);
  }

  #hear(reply: WriterReply): void {
    switch (reply.kind) {
      case "written":
        this.#land(reply.seq);
        if (this.#waitingSince !== undefined) {
          this.#waitingSince = undefined;
          this.#unavailable = undefined;
          // What queued meanwhile goes now.
          if (!this.pending.empty) this.enter();
        }
        return;
      case "busy":
        this.#waitingSince ??= reply.since;
        this.#checkLimit();
        return;
      case "write-failed":
        if (reply.seq === 0) this.#break(reply.message);
        else {
          this.#land(reply.seq, true);
          this.#fail(reply.message);
        }
        return;
      case "result":
      case "failed":
        return;
    }
  }

  /** Every batch up to `seq` is done with: committed, or `refused` (its rows dropped). */
  #land(seq: number, refused = false): void {
    this.#written = Math.max(this.#written, seq);
    this.#inFlight.landed(seq, refused);
  }

  #fail(message: string): void {
    this.#failed ??= new StoreWriteError(this.options.file, message);
    // The refused rows are dropped; flushes stop waiting for them.
    if (this.#broken !== undefined) this.#land(this.#posted, true);
    this.#tell(this.#failed);
  }

  #throwIfFailed(): void {
    const failed = this.#failed;
    if (failed === undefined) return;
    this.#failed = undefined;
    throw failed;
  }

  #checkLimit(): void {
    const since = this.#waitingSince;
    if (since === undefined || this.#unavailable !== undefined) return;
    const waited = Date.now() - since;
    if (waited < this.options.unavailableAfterMs) return;
    this.#unavailable = new StoreUnavailableError(this.options.file, waited);
    this.#tell(this.#unavailable);
  }

  #tell(error: Error): void {
    for (const listener of [...this.#listeners]) listener(error);
  }
}
