/**
 * The provenance store over PostgreSQL, shared by every machine that runs flows. The engine's
 * store interfaces are synchronous; so is this store, without ever waiting on the server while
 * a run writes:
 *
 *   addNode ──▶ pk from a block reserved ahead (pk-blocks.ts) ─┐
 *   writes  ──▶ rows of the turn (pg-pending.ts) ──setImmediate──▶ one batch, posted ─┐
 *   reads   ──▶ post the turn's rows, then block (Atomics.wait) for the answer ──────┤
 *                                                                                  ▼
 *               PostgreSQL thread (pg-worker.ts): one connection, requests in order,
 *               a batch per transaction (unnest INSERTs), retried after a lost connection
 *
 * `flush()` blocks until every batch so far is committed (or, while the server is out of
 * reach, for a while; the rows stay queued and the thread keeps retrying).
 */
import { hostname } from "node:os";
import type { ReportLine } from "../../model/events.js";
import type { LinkFilter, NodeRow, ProvenanceReader, RunFilter, StoreCounts } from "../reader.js";
import { flushOnExit, forgetOnExit } from "../sqlite/exit-flush.js";
import { newNodeRow, updatePatch, updateQueuedRow } from "../sqlite/node-rows.js";
import { PendingNode } from "../sqlite/pending-writes.js";
import { storedText } from "../sqlite/report-text.js";
import { reportKey } from "../sqlite/sqlite-store.js";
import type { ChunkWriter } from "../archive/import-target.js";
import {
  NodeNotFoundError,
  StoreOpenError,
  StoreUnavailableError,
  StoreWriteError,
} from "../store-errors.js";
import type { LinkRecord, NodeRecord, ProcessUpdate, ProvenanceStore } from "../store.js";
import { unavailableAfterMsFromEnv } from "../unavailable-after.js";
import { parsePostgresUrl, type PostgresLocation } from "./connection-url.js";
import { PgAvailability } from "./pg-availability.js";
import { PgChunkedWriter } from "./pg-chunked-writer.js";
import { PgPending } from "./pg-pending.js";
import type { OpenResult, ReadQueries, Reply, WireError } from "./pg-protocol.js";
import { PkBlocks } from "./pk-blocks.js";
import { CallTimeout, WorkerChannel, type CallRequest } from "./worker-channel.js";

const OPEN_WAIT_MS = 15_000;
const READ_WAIT_MS = 15_000;
const FLUSH_WAIT_MS = 10_000;
const CLOSE_WAIT_MS = 5_000;

/** How a PostgreSQL store is opened. */
export interface PostgresStoreOptions {
  /** How long the server may be out of reach before runs end, in ms (default 60 s). */
  readonly unavailableAfterMs?: number;
}

/** A {@link ProvenanceStore} in a PostgreSQL schema, which can also be read. */
export class PostgresStore implements ProvenanceStore, ProvenanceReader {
  /** Where the store is, for messages: the URL with its password masked. */
  readonly file: string;
  /** The schema holding the tables. */
  readonly schema: string;
  /** The runs marked KILLED when this store opened, because their process had died. */
  readonly killedOnOpen: readonly number[];
  readonly #location: PostgresLocation;
  readonly #channel: WorkerChannel;
  readonly #pks: PkBlocks;
  readonly #pending = new PgPending();
  /** The type of each node this store wrote, so links and updates are checked without a read. */
  readonly #types = new Map<number, NodeRow["type"]>();
  /** Whether the server is in reach and takes the writes; who hears when not. */
  readonly #availability: PgAvailability;
  #aheadId = 0;
  #posted = 0;
  #written = 0;
  #turnEnding = false;
  #holding = false;
  #closed = false;
  readonly #endTurn = (): void => {
    this.#turnEnding = false;
    if (!this.#holding) this.#post();
  };

  /** Opens (creating or migrating the tables of) the store at `url`; blocks until it is open. */
  constructor(url: string, options: PostgresStoreOptions = {}) {
    this.#location = parsePostgresUrl(url);
    this.file = this.#location.shown;
    this.schema = this.#location.schema;
    const unavailableAfterMs = options.unavailableAfterMs ?? unavailableAfterMsFromEnv();
    this.#availability = new PgAvailability(this.file, unavailableAfterMs);
    this.#channel = new WorkerChannel((reply) => this.#hear(reply));
    this.#pks = new PkBlocks({
      reserve: (count) => {
        this.#aheadId = this.#channel.id();
        this.#channel.post({ op: "pks", id: this.#aheadId, count });
      },
      awaitAsked: () => void this.#channel.waitUntil(() => this.#aheadId === 0, READ_WAIT_MS),
      reserveNow: (count) =>
        this.#call({ op: "pks", id: this.#channel.id(), count }, READ_WAIT_MS) as number,
    });
    const writer = `${hostname()}:${process.pid}:${crypto.randomUUID()}`;
    const open = { ...this.#location, writer, host: hostname() };
    let result: OpenResult;
    try {
      result = this.#call({ op: "open", id: this.#channel.id(), open }, OPEN_WAIT_MS) as OpenResult;
    } catch (error) {
      void this.#channel.terminate();
      const detail = error instanceof Error ? error.message : String(error);
      throw new StoreOpenError(this.file, detail, { cause: error });
    }
    this.killedOnOpen = result.killedOnOpen;
    flushOnExit(this);
  }

  addNode(node: NodeRecord): number {
    this.#enter();
    const pk = this.#pks.next();
    this.#types.set(pk, node.type);
    this.#pending.addNode(new PendingNode(pk, ...newNodeRow(node)));
    return pk;
  }

  updateProcess(pk: number, update: ProcessUpdate): void {
    this.#enter();
    if (this.#typeOf(pk) === undefined || this.#typeOf(pk) === "data") {
      throw new NodeNotFoundError(pk);
    }
    const patch = updatePatch(update);
    const row = this.#pending.node(pk);
    if (row === undefined) {
      this.#pending.addUpdate(pk, { ...update, ...(patch !== undefined ? { patch } : {}) });
      return;
    }
    updateQueuedRow(row, update, patch, (text) => JSON.parse(text) as Record<string, unknown>);
  }

  addLink(link: LinkRecord): void {
    this.#enter();
    for (const pk of [link.from, link.to]) {
      if (this.#typeOf(pk) === undefined) throw new NodeNotFoundError(pk);
    }
    this.#pending.addLink({ from: link.from, to: link.to, type: link.type, label: link.label });
  }

  addReport(runPk: number, line: ReportLine): void {
    this.#enter();
    if (this.#typeOf(runPk) === undefined) throw new NodeNotFoundError(runPk);
    const { at, level, step, message } = line;
    this.#pending.addReport({ runPk, at, level, step, message, text: storedText(runPk, line) });
  }

  /**
   * Makes every write so far durable: blocks until the server has committed them. While the
   * server is out of reach it does not wait: the rows stay queued and the thread retries.
   */
  flush(): void {
    this.#post();
    if (this.#written < this.#posted && !this.#availability.down) {
      this.#channel.waitUntil(
        () => this.#written >= this.#posted || this.#availability.down,
        FLUSH_WAIT_MS,
      );
    }
    this.#availability.throwIfFailed();
  }

  /** Whether writes wait for a server out of reach. */
  get waiting(): boolean {
    return this.#written < this.#posted || !this.#pending.empty;
  }

  /** Calls `listener` when the server has been out of reach too long; returns how to stop. */
  onUnavailable(listener: (error: Error) => void): () => void {
    return this.#availability.onUnavailable(listener);
  }

  /** Posts what waits and blocks up to `ms` for it to be committed; whether it was. */
  flushWaiting(ms: number): boolean {
    this.#post();
    return this.#waitWritten(ms);
  }

  /** Runs `fn` with its writes in one transaction of their own: all of them or none. */
  transaction<T>(fn: () => T): T {
    this.#post();
    this.#holding = true;
    let result: T;
    try {
      result = fn();
    } catch (error) {
      this.#pending.discard();
      throw error;
    } finally {
      this.#holding = false;
    }
    this.flush();
    return result;
  }

  /** A writer of many rows in chunks (an archive import), each committed before the next. */
  chunkedWriter(): ChunkWriter {
    this.flush();
    return new PgChunkedWriter({
      nextPk: () => this.#pks.next(),
      write: (rows) => {
        this.#posted++;
        this.#channel.post({ op: "write", batch: rows.take(this.#posted) });
        if (!this.#waitWritten(READ_WAIT_MS)) {
          throw new StoreUnavailableError(this.file, READ_WAIT_MS, false, "unreachable");
        }
        this.#availability.throwIfFailed();
      },
      undo: (rows) => void this.#call({ op: "undo", id: this.#channel.id(), rows }, READ_WAIT_MS),
    });
  }

  /** Runs `fn` (each read of the server sees what is committed when it runs). */
  readSnapshot<T>(fn: () => T): T {
    return fn();
  }

  /** The pk and type of the node with this uuid, if stored. */
  nodeOfUuid(uuid: string): { readonly pk: number; readonly type: NodeRow["type"] } | undefined {
    const row = this.node(uuid);
    return row === undefined ? undefined : { pk: row.pk, type: row.type };
  }

  /** How many times each report line of a run is stored, by {@link reportKey}. */
  reportCounts(runPk: number): Map<string, number> {
    const counts = new Map<string, number>();
    for (const line of this.reports(runPk)) {
      const key = reportKey(line);
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    return counts;
  }

  /** Whether this very link is stored. */
  hasLink(link: LinkRecord): boolean {
    return this.#read("hasLink", link) as boolean;
  }

  /** Whether this very report line of the run is stored. */
  hasReport(runPk: number, line: Pick<ReportLine, "at" | "step" | "message">): boolean {
    return this.#read("hasReport", runPk, line.at, line.step, line.message) as boolean;
  }

  node(key: number | string): NodeRow | undefined {
    return this.#read("node", key) as NodeRow | undefined;
  }
  links(filter: LinkFilter): LinkRecord[] {
    return this.#read("links", filter) as LinkRecord[];
  }
  reports(runPk: number): ReportLine[] {
    return this.#read("reports", runPk) as ReportLine[];
  }
  runs(filter: RunFilter): NodeRow[] {
    return this.#read("runs", filter) as NodeRow[];
  }
  tasks(runPk: number): NodeRow[] {
    return this.#read("tasks", runPk) as NodeRow[];
  }
  taskCount(runPk: number): number {
    return this.#read("taskCount", runPk) as number;
  }
  findFinishedTask(cacheKey: string): NodeRow | undefined {
    return this.#read("findFinishedTask", cacheKey) as NodeRow | undefined;
  }
  allNodes(): readonly NodeRow[] {
    return this.#read("allNodes") as NodeRow[];
  }
  allLinks(): readonly LinkRecord[] {
    return this.#read("allLinks") as LinkRecord[];
  }
  counts(): StoreCounts {
    return this.#read("counts") as StoreCounts;
  }

  /**
   * Commits and closes; the store cannot be used afterwards. Waits a few seconds for a server
   * out of reach, and throws a {@link StoreUnavailableError} if rows were dropped.
   */
  close(): void {
    if (this.#closed) return;
    const written = this.flushWaiting(CLOSE_WAIT_MS);
    this.#closed = true;
    forgetOnExit(this);
    if (written) {
      try {
        this.#call({ op: "close", id: this.#channel.id() }, CLOSE_WAIT_MS);
      } catch {
        // The connection is going away with the thread anyway.
      }
    }
    void this.#channel.terminate();
    if (!written) throw new StoreUnavailableError(this.file, CLOSE_WAIT_MS, true, "unreachable");
  }

  /** At exit: commits what it can, waiting a few seconds for a server out of reach. */
  flushAtExit(): void {
    this.flushWaiting(CLOSE_WAIT_MS);
  }

  #enter(): void {
    if (this.#closed) throw new StoreWriteError(this.file, "the store is closed");
    if (!this.#turnEnding) {
      this.#turnEnding = true;
      setImmediate(this.#endTurn);
    }
  }

  #typeOf(pk: number): NodeRow["type"] | undefined {
    const known = this.#types.get(pk);
    if (known !== undefined) return known;
    const found = this.#read("nodeTypes", [pk]) as [number, NodeRow["type"]][];
    for (const [each, type] of found) this.#types.set(each, type);
    return this.#types.get(pk);
  }

  #post(): void {
    if (this.#pending.empty || this.#closed) return;
    this.#posted++;
    this.#channel.post({ op: "write", batch: this.#pending.take(this.#posted) });
  }

  #waitWritten(ms: number): boolean {
    if (this.#written >= this.#posted) return true;
    return this.#channel.waitUntil(() => this.#written >= this.#posted, ms);
  }

  #read<Q extends keyof ReadQueries>(query: Q, ...args: ReadQueries[Q]): unknown {
    if (this.#closed) throw new StoreWriteError(this.file, "the store is closed");
    if (!this.#holding) this.#post();
    return this.#call({ op: "read", id: this.#channel.id(), query, args }, READ_WAIT_MS);
  }

  #call(request: CallRequest, ms: number): unknown {
    let reply;
    try {
      reply = this.#channel.call(request, ms);
    } catch (error) {
      if (error instanceof CallTimeout) {
        throw new StoreUnavailableError(this.file, ms, false, "unreachable");
      }
      throw error;
    }
    if (reply.kind === "failed") throw errorFrom(this.file, reply.error);
    return reply.value;
  }

  #hear(reply: Reply): void {
    switch (reply.kind) {
      case "result":
        if (reply.id === this.#aheadId) {
          this.#aheadId = 0;
          this.#pks.received(reply.value as number);
        }
        return;
      case "failed":
        if (reply.id === this.#aheadId) this.#aheadId = 0;
        return;
      case "written":
        this.#written = Math.max(this.#written, reply.seq);
        return;
      case "write-failed":
        this.#written = Math.max(this.#written, reply.seq);
        this.#availability.refused(reply.error.message);
        return;
      case "down":
        this.#availability.lost(reply.since);
        return;
      case "up":
        this.#availability.regained();
        return;
    }
  }
}

function errorFrom(file: string, error: WireError): Error {
  return error.connection
    ? new StoreUnavailableError(file, 0, false, "unreachable")
    : new StoreWriteError(file, error.message);
}
