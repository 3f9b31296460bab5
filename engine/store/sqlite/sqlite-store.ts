/**
 * The provenance store over one SQLite file (or `:memory:`). Writes are synchronous and grouped
 * into few transactions (one per turn, or per few ms while writes keep coming); rows wait in
 * memory until their group leaves (or something reads), so a task's state changes fold into
 * its one INSERT. A file's rows are written by the store's writer thread (thread-group.ts,
 * sqlite-writer.ts), beside the engine; `:memory:` (one connection, so one thread) writes them
 * between turns (write-group.ts). While another process holds the write lock, rows wait in
 * memory until it is free. Opening a file marks KILLED the runs whose process died.
 */
import type Database from "better-sqlite3";
import type { ReportLine } from "../../model/events.js";
import { parseCanonicalJson } from "../canonical-json.js";
import type { NodeRow } from "../reader.js";
import * as messages from "../messages.js";
import { NodeNotFoundError, StoreOpenError, StoreUnavailableError } from "../store-errors.js";
import type { LinkRecord, NodeRecord, ProcessUpdate, ProvenanceStore } from "../store.js";
import { CACHE_KEY_INDEX_SQL } from "./cache-key-index.js";
import { ChunkedWriter } from "./chunked-writer.js";
import { storedUuid } from "./compact-keys.js";
import { flushOnExit, forgetOnExit } from "./exit-flush.js";
import { isFinishedLine, RUN_LINES_SQL } from "./finished-lines.js";
import { labelSql, wireLabel } from "./link-labels.js";
import { storedLinkType } from "./link-types.js";
import { typeSql } from "./node-codes.js";
import { openDatabase } from "./open-database.js";
import { killOrphanedRuns } from "./orphaned-runs.js";
import { newNodeRow, updatePatch, updateQueuedRow } from "./node-rows.js";
import { PendingWrites, type PendingNode } from "./pending-writes.js";
import { PkSequence } from "./pk-sequence.js";
import { ThreadGroup } from "./thread-group.js";
import { BatchWriter } from "./write-batch.js";
import { storedText } from "./report-text.js";
import { SqliteReader } from "./sqlite-reader.js";
import { QueuedUpdates } from "./stored-updates.js";
import { isBusy } from "./busy.js";
import { COMMIT_WINDOW_MS, TURN_WAIT_MS, WriteGroup } from "./write-group.js";
import { uuidMatchSql } from "./uuid-index.js";
import { unavailableAfterMsFromEnv } from "../unavailable-after.js";

/** What tells two report lines of a run apart: time, step and message. */
export function reportKey(line: Pick<ReportLine, "at" | "step" | "message">): string {
  return `${line.at}\u0000${line.step}\u0000${line.message}`;
}

/** A node with at most this many links of a type is "few": looked up from its side. */
const FEW_LINKS = 64;

/** How long closing (or exiting) waits for a lock another process holds, in ms. */
const CLOSE_WAIT_MS = 5_000;

/** How a store is opened. */
export interface SqliteStoreOptions {
  /**
   * How long another process may hold the write lock before the runs writing here end with a
   * {@link StoreUnavailableError}, in ms; `WORKGRAPH_STORE_WAIT_MS`, else 60 s.
   */
  readonly unavailableAfterMs?: number;
  /**
   * Commits are at least this far apart while writes keep coming, in ms: a process killed
   * loses at most this much of its last writes (whole transactions). 0 commits every turn.
   */
  readonly commitWindowMs?: number;
  /**
   * Whether a file's rows are written by a thread of their own (the default), or between the
   * engine's turns, on this thread (as `:memory:` always is).
   */
  readonly writerThread?: boolean;
}

/** A {@link ProvenanceStore} over one SQLite file, which can also be read. */
export class SqliteStore extends SqliteReader implements ProvenanceStore {
  /** The runs marked KILLED when this store opened, because their process had died. */
  readonly killedOnOpen: readonly number[];
  /** Where pks come from (shared with archive imports). */
  readonly pks: PkSequence;
  readonly #pending: PendingWrites;
  readonly #group: WriteGroup | ThreadGroup;
  /** Writes batches on this thread's connection (`:memory:`, or inside {@link transaction}). */
  readonly #writer: BatchWriter;
  /** Set while {@link transaction} holds a write transaction on this thread's connection. */
  #holding = false;
  /** Whether the cache-key index is known to be there (cache-key-index.ts). */
  #cacheKeysIndexed = false;
  readonly #exists: Database.Statement<[number], string>;
  /** How long another process may hold the lock before runs here end, in ms. */
  readonly unavailableAfterMs: number;

  /** Opens (creating when missing) the store in `file`; `:memory:` keeps it in memory. */
  constructor(
    readonly file = ":memory:",
    options: SqliteStoreOptions = {},
  ) {
    super(openDatabase(file));
    this.killedOnOpen = file === ":memory:" ? [] : killOrphanedRuns(this.db);
    // From here on a write never blocks for long: a lock out of reach means rows wait.
    this.db.pragma(`busy_timeout = ${TURN_WAIT_MS}`);
    const maxPk = this.db.prepare<[], number>("SELECT coalesce(max(pk), 0) FROM nodes").pluck();
    this.pks = new PkSequence(file, () => maxPk.get() as number);
    this.#pending = new PendingWrites(this.pks);
    this.unavailableAfterMs = options.unavailableAfterMs ?? unavailableAfterMsFromEnv();
    this.#writer = new BatchWriter(this.db);
    const groupOptions = {
      file,
      unavailableAfterMs: this.unavailableAfterMs,
      windowMs: options.commitWindowMs ?? COMMIT_WINDOW_MS,
    };
    this.#group =
      file !== ":memory:" && file !== "" && options.writerThread !== false
        ? new ThreadGroup(
            this.db,
            this.#writer,
            this.#pending,
            this.pks,
            groupOptions,
            () => this.#holding,
          )
        : new WriteGroup(this.db, this.#pending, this.pks, groupOptions, this.#writer);
    this.#exists = this.db
      .prepare<[number], string>(`SELECT ${typeSql("type")} FROM nodes WHERE pk = ?`)
      .pluck();
    if (this.#group instanceof ThreadGroup) {
      try {
        this.#group.start();
      } catch (error) {
        this.pks.close();
        this.db.close();
        const detail = error instanceof Error ? error.message : String(error);
        throw new StoreOpenError(file, messages.cannotOpen(file, detail), { cause: error });
      }
    }
    if (file !== ":memory:") flushOnExit(this);
  }

  addNode(node: NodeRecord): number {
    this.#group.enter();
    return this.#pending.addNode(newNodeRow(node)).pk;
  }

  updateProcess(pk: number, update: ProcessUpdate): void {
    this.#group.enter();
    const patch = updatePatch(update);
    const queued = this.#pending.node(pk);
    if (queued !== undefined) {
      this.#updateQueued(queued, update, patch);
      return;
    }
    // Queued rather than applied: the file is written only when the group commits, and a
    // row's changes fold into one UPDATE.
    const change = QueuedUpdates.change(update);
    const type = this.#storedType(pk);
    if (type === undefined || type === "data") throw new NodeNotFoundError(pk);
    this.#pending.updates.queue(pk, change);
  }

  addLink(link: LinkRecord): void {
    this.#group.enter();
    for (const pk of [link.from, link.to]) {
      if (!this.#has(pk)) throw new NodeNotFoundError(pk);
    }
    // A CALL link's label is the called task's name, which its queued row still holds.
    const called = link.type === "CALL" ? this.#pending.node(link.to)?.name : undefined;
    this.#pending.addLink(link.from, link.to, link.type, wireLabel(link.type, link.label, called));
  }

  addReport(runPk: number, line: ReportLine, task?: number): void {
    this.#group.enter();
    if (!this.#has(runPk)) throw new NodeNotFoundError(runPk);
    const text = storedText(runPk, line);
    const row = task === undefined ? undefined : this.#pending.node(task);
    // A task's finished line is kept on its queued row when the row gives it back as it is.
    if (
      row !== undefined &&
      text === null &&
      row.finishedLine === null &&
      row.calledBy === runPk &&
      isFinishedLine(row, line)
    ) {
      this.#pending.keepFinishedLine(row);
      return;
    }
    this.#pending.addReport(runPk, line.at, line.level, line.step, line.message, text);
  }

  /** Commits the writes so far; while another process holds the lock, they keep waiting. */
  flush(): void {
    this.#group.commit();
  }

  /** Whether writes wait for a lock another process holds. */
  get waiting(): boolean {
    return this.#group.waiting;
  }

  /**
   * Calls `listener` when another process has held the lock too long (or the writer thread
   * could not write); returns how to stop.
   */
  onUnavailable(listener: (error: Error) => void): () => void {
    return this.#group.onUnavailable(listener);
  }

  /** Commits what waits, blocking up to `ms` for the lock; whether nothing is left waiting. */
  flushWaiting(ms: number): boolean {
    return this.#group.commitWaiting(ms);
  }

  /**
   * Runs `fn` in one transaction (after committing pending writes): all of it or nothing. It
   * waits for the lock as long as closing does, and throws a {@link StoreUnavailableError} if
   * another process holds it longer.
   */
  transaction<T>(fn: () => T): T {
    if (!this.#group.commitWaiting(CLOSE_WAIT_MS)) {
      throw new StoreUnavailableError(this.file, CLOSE_WAIT_MS);
    }
    this.db.pragma(`busy_timeout = ${CLOSE_WAIT_MS}`);
    this.#holding = true;
    try {
      return this.db
        .transaction(() => {
          const result = fn();
          this.#writer.write(this.#pending.take());
          this.pks.settle();
          return result;
        })
        .immediate();
    } catch (error) {
      if (isBusy(error)) throw new StoreUnavailableError(this.file, CLOSE_WAIT_MS);
      throw error;
    } finally {
      this.#holding = false;
      this.db.pragma(`busy_timeout = ${TURN_WAIT_MS}`);
      this.#pending.reset();
      this.#writer.forget();
    }
  }

  /** A writer of many rows in short transactions (an archive import), after a commit. */
  chunkedWriter(): ChunkedWriter {
    this.flush();
    return new ChunkedWriter(this.db, this.pks, this.file, this.unavailableAfterMs);
  }

  /** Runs `fn` inside one read transaction (one snapshot; each read in it costs less). */
  readSnapshot<T>(fn: () => T): T {
    this.flush();
    if (this.db.inTransaction) return fn();
    return this.db.transaction(fn).deferred();
  }

  /** The pk and type of the node with this uuid, if stored. */
  nodeOfUuid(uuid: string): { readonly pk: number; readonly type: NodeRow["type"] } | undefined {
    this.beforeRead();
    const sql = `SELECT pk, ${typeSql("type")} AS type FROM nodes WHERE ${uuidMatchSql("nodes")}`;
    const found = this.statements.get<
      [{ uuid: Buffer | string }],
      { pk: number; type: NodeRow["type"] }
    >(sql);
    return found.get({ uuid: storedUuid(uuid) });
  }

  /** How many times each report line of a run is stored, by {@link reportKey}. */
  reportCounts(runPk: number): Map<string, number> {
    this.beforeRead();
    const sql = `SELECT at, step, message FROM (${RUN_LINES_SQL})`;
    const counts = new Map<string, number>();
    for (const line of this.statements
      .get<[number, number], { at: number; step: string; message: string }>(sql)
      .iterate(runPk, runPk)) {
      const key = reportKey(line);
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    return counts;
  }

  /**
   * Whether this very link is stored. Looked up from the end with few links of its type (a
   * run has thousands of CALL links, each task one), so the cost does not grow with the run.
   */
  hasLink(link: LinkRecord): boolean {
    this.beforeRead();
    const fewFrom =
      this.statements
        .get<[number, string], number>(
          `SELECT count(*) FROM (SELECT 1 FROM links INDEXED BY links_from
             WHERE from_pk = ? AND type = ? LIMIT ${FEW_LINKS + 1})`,
        )
        .pluck()
        .get(link.from, storedLinkType(link.type)) ?? 0;
    const sql =
      fewFrom <= FEW_LINKS
        ? `SELECT 1 FROM links INDEXED BY links_from
             WHERE from_pk = ? AND type = ? AND to_pk = ? AND ${labelSql("links")} = ?`
        : `SELECT 1 FROM links INDEXED BY links_to
             WHERE to_pk = ? AND type = ? AND from_pk = ? AND ${labelSql("links")} = ?`;
    const [near, far] = fewFrom <= FEW_LINKS ? [link.from, link.to] : [link.to, link.from];
    const found = this.statements.get<[number, string, number, string]>(sql);
    return found.get(near, storedLinkType(link.type), far, link.label) !== undefined;
  }

  /** Commits, then writes a compact copy of the whole store to `file` (SQLite's `VACUUM INTO`). */
  copyTo(file: string): void {
    this.flush();
    this.db.prepare("VACUUM INTO ?").run(file);
  }

  /** Commits, then folds the write-ahead log into the file (so its size is the store's). */
  checkpoint(): void {
    this.flush();
    this.db.pragma("wal_checkpoint(TRUNCATE)");
  }

  /**
   * Commits and closes the file; the store cannot be used afterwards. Waits a few seconds for a
   * lock another process holds, and throws a {@link StoreUnavailableError} if rows were dropped.
   */
  close(): void {
    if (!this.db.open) return;
    const written = this.#group.commitWaiting(CLOSE_WAIT_MS);
    this.#group.stop(CLOSE_WAIT_MS);
    forgetOnExit(this);
    this.pks.close();
    this.db.close();
    if (!written) throw new StoreUnavailableError(this.file, CLOSE_WAIT_MS, true);
  }

  /** At exit: commits what it can, waiting a few seconds for a lock another process holds. */
  flushAtExit(): void {
    this.#group.commitWaiting(CLOSE_WAIT_MS);
  }

  protected override beforeRead(): void {
    // While the lock is out of reach, reads see what is committed.
    this.#group.drain();
  }

  protected override beforeCacheLookup(): void {
    if (this.#cacheKeysIndexed) return;
    try {
      this.db.exec(CACHE_KEY_INDEX_SQL);
      this.#cacheKeysIndexed = true;
    } catch (error) {
      // Another process holds the lock: this lookup scans the tasks, the next one tries again.
      if (!isBusy(error)) throw error;
    }
  }

  /** Whether a node with this pk exists, queued or stored. */
  #has(pk: number): boolean {
    return this.#pending.node(pk) !== undefined || this.#storedType(pk) !== undefined;
  }

  /**
   * The type of the stored node of this pk, if stored. Read outside any transaction (the lock
   * is taken only to commit), so a node found is kept until the queued rows are committed: a
   * run's many lines and a task's update and links check it once per group, and no check is
   * older than the rows it let in.
   */
  #storedType(pk: number): string | undefined {
    const checked = this.#pending.checked;
    let type = checked.get(pk);
    if (type === undefined && this.#group instanceof ThreadGroup) type = this.#group.sentType(pk);
    if (type === undefined) {
      type = this.#exists.get(pk);
      if (type !== undefined) checked.set(pk, type);
    }
    return type;
  }

  #updateQueued(
    row: PendingNode,
    update: ProcessUpdate,
    patch: Readonly<Record<string, unknown>> | undefined,
  ): void {
    if (row.type === "data") throw new NodeNotFoundError(row.pk);
    // A line made from the row's end time keeps the time it was written with.
    if (update.endedAt !== undefined) this.#pending.finishedLineToRow(row);
    updateQueuedRow(row, update, patch, parseAttributes);
    if (update.endedAt !== undefined) this.#pending.ended(row);
  }
}

function parseAttributes(text: string): Record<string, unknown> {
  return parseCanonicalJson(text) as Record<string, unknown>;
}
