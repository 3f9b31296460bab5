/**
 * The provenance store over one SQLite file (or `:memory:`). Writes are synchronous and grouped
 * into one transaction per event-loop turn; rows wait in memory until the turn commits (or
 * something reads), so a task's state changes fold into its one INSERT. Opening a file marks
 * KILLED the runs whose process died.
 */
import type Database from "better-sqlite3";
import type { ReportLine } from "../../model/events.js";
import { canonicalJson, parseCanonicalJson } from "../canonical-json.js";
import type { NodeRow } from "../reader.js";
import { NodeNotFoundError } from "../store-errors.js";
import type { LinkRecord, NodeRecord, ProcessUpdate, ProvenanceStore } from "../store.js";
import { attributesText, cacheKeyOf } from "./attributes-text.js";
import { flushOnExit, forgetOnExit } from "./exit-flush.js";
import { openDatabase } from "./open-database.js";
import { currentOwner, killOrphanedRuns } from "./orphaned-runs.js";
import { PendingWrites, type PendingNode } from "./pending-writes.js";
import { storedText } from "./report-text.js";
import { SqliteReader } from "./sqlite-reader.js";
import { WriteGroup } from "./write-group.js";

/** A node to insert as it is, with every column: what an archive import writes. */
export type NodeInsert = Omit<NodeRow, "pk">;

const UPDATE_FIELDS = ["state", "exit_code", "started_at", "ended_at", "attributes", "cache_key"];

/** A {@link ProvenanceStore} over one SQLite file, which can also be read. */
export class SqliteStore extends SqliteReader implements ProvenanceStore {
  /** The runs marked KILLED when this store opened, because their process had died. */
  readonly killedOnOpen: readonly number[];
  readonly #pending: PendingWrites;
  readonly #group: WriteGroup;
  readonly #updates: (Database.Statement | undefined)[] = [];

  /** Opens (creating when missing) the store in `file`; `:memory:` keeps it in memory. */
  constructor(readonly file = ":memory:") {
    super(openDatabase(file));
    this.killedOnOpen = file === ":memory:" ? [] : killOrphanedRuns(this.db);
    this.#pending = new PendingWrites(this.db);
    this.#group = new WriteGroup(this.db, this.#pending);
    if (file !== ":memory:") flushOnExit(this);
  }

  addNode(node: NodeRecord): number {
    this.#group.enter();
    const pending = this.#pending;
    if (node.type === "data") {
      const value = canonicalJson(node.value);
      return pending.addNode(
        node.uuid,
        "data",
        node.kind,
        null,
        null,
        node.ctime,
        value,
        null,
        null,
      ).pk;
    }
    const attributes =
      node.type === "run" ? { ...node.attributes, owner: currentOwner() } : node.attributes;
    const kind = node.type === "task" ? node.kind : null;
    const cacheKey = cacheKeyOf(attributes) ?? null;
    return pending.addNode(
      node.uuid,
      node.type,
      kind,
      node.name,
      node.state,
      node.ctime,
      null,
      attributes,
      cacheKey,
    ).pk;
  }

  updateProcess(pk: number, update: ProcessUpdate): void {
    this.#group.enter();
    const patch =
      update.error !== undefined
        ? { ...update.attributes, error: update.error }
        : update.attributes;
    const queued = this.#pending.node(pk);
    if (queued !== undefined) this.#updateQueued(queued, update, patch);
    else this.#updateStored(pk, update, patch);
  }

  addLink(link: LinkRecord): void {
    this.#group.enter();
    // pks are dense from 1, so this range is exactly the nodes that exist.
    const next = this.#pending.nextPk();
    for (const pk of [link.from, link.to]) {
      if (!(pk >= 1 && pk < next)) throw new NodeNotFoundError(pk);
    }
    this.#pending.addLink(link.from, link.to, link.type, link.label);
  }

  addReport(runPk: number, line: ReportLine): void {
    this.#group.enter();
    if (!(runPk >= 1 && runPk < this.#pending.nextPk())) throw new NodeNotFoundError(runPk);
    this.#pending.addReport(
      runPk,
      line.at,
      line.level,
      line.step,
      line.message,
      storedText(runPk, line),
    );
  }

  flush(): void {
    this.#group.commit();
  }

  /** Runs `fn` in one transaction (after committing pending writes): all of it or nothing. */
  transaction<T>(fn: () => T): T {
    this.flush();
    try {
      return this.db
        .transaction(() => {
          const result = fn();
          this.#pending.drain();
          return result;
        })
        .immediate();
    } finally {
      this.#pending.reset();
    }
  }

  /** Inserts a node with every column as given (an archive import); returns its pk. */
  insertNode(row: NodeInsert): number {
    this.#group.enter();
    const node = this.#pending.addNode(
      row.uuid,
      row.type,
      row.kind,
      row.name,
      row.state,
      row.ctime,
      row.value,
      row.attributes,
      row.cacheKey,
    );
    node.exitCode = row.exitCode;
    node.mtime = row.mtime;
    node.startedAt = row.startedAt;
    node.endedAt = row.endedAt;
    return node.pk;
  }

  /** Whether this very link is stored. */
  hasLink(link: LinkRecord): boolean {
    this.beforeRead();
    const sql = "SELECT 1 FROM links WHERE to_pk = ? AND from_pk = ? AND type = ? AND label = ?";
    const found = this.statements.get<[number, number, string, string]>(sql);
    return found.get(link.to, link.from, link.type, link.label) !== undefined;
  }

  /** Whether this very report line of the run is stored. */
  hasReport(runPk: number, line: Pick<ReportLine, "at" | "step" | "message">): boolean {
    this.beforeRead();
    const sql = "SELECT 1 FROM reports WHERE run_pk = ? AND at = ? AND step = ? AND message = ?";
    const found = this.statements.get<[number, number, string, string]>(sql);
    return found.get(runPk, line.at, line.step, line.message) !== undefined;
  }

  /** Commits, then folds the write-ahead log into the file (so its size is the store's). */
  checkpoint(): void {
    this.flush();
    this.db.pragma("wal_checkpoint(TRUNCATE)");
  }

  /** Commits and closes the file; the store cannot be used afterwards. */
  close(): void {
    if (!this.db.open) return;
    this.flush();
    forgetOnExit(this);
    this.db.close();
  }

  protected override beforeRead(): void {
    this.#pending.drain();
  }

  #updateQueued(
    row: PendingNode,
    update: ProcessUpdate,
    patch: Readonly<Record<string, unknown>> | undefined,
  ): void {
    if (row.type === "data") throw new NodeNotFoundError(row.pk);
    row.mtime = Date.now();
    if (update.state !== undefined) row.state = update.state;
    if (update.exitCode !== undefined) row.exitCode = update.exitCode;
    if (update.startedAt !== undefined) row.startedAt = update.startedAt;
    if (update.endedAt !== undefined) row.endedAt = update.endedAt;
    if (patch === undefined) return;
    if ("cacheKey" in patch) row.cacheKey = cacheKeyOf(patch) ?? null;
    // A task's key alone changes only its column: its attributes object stays shared.
    if (Object.keys(patch).length === 1 && "cacheKey" in patch) return;
    const current =
      typeof row.attributes === "string" ? parseAttributes(row.attributes) : row.attributes;
    row.attributes = { ...current, ...patch };
  }

  #updateStored(
    pk: number,
    update: ProcessUpdate,
    patch: Readonly<Record<string, unknown>> | undefined,
  ): void {
    const values: unknown[] = [Date.now()];
    let mask = 0;
    const set = (bit: number, value: unknown): void => {
      mask |= 1 << bit;
      values.push(value);
    };
    if (update.state !== undefined) set(0, update.state);
    if (update.exitCode !== undefined) set(1, update.exitCode);
    if (update.startedAt !== undefined) set(2, update.startedAt);
    if (update.endedAt !== undefined) set(3, update.endedAt);
    if (patch !== undefined) {
      set(4, attributesText({ ...this.#storedAttributes(pk), ...patch }));
      if ("cacheKey" in patch) set(5, cacheKeyOf(patch) ?? null);
    }
    values.push(pk);
    if (this.#update(mask).run(...values).changes === 0) throw new NodeNotFoundError(pk);
  }

  #storedAttributes(pk: number): Record<string, unknown> {
    const sql = "SELECT attributes FROM nodes WHERE pk = ?";
    const text = this.statements.get<[number], string | null>(sql).pluck().get(pk);
    return typeof text === "string" ? parseAttributes(text) : {};
  }

  /** The UPDATE of the fields in `mask` (bits in {@link UPDATE_FIELDS} order), prepared once. */
  #update(mask: number): Database.Statement {
    let statement = this.#updates[mask];
    if (statement === undefined) {
      const fields = UPDATE_FIELDS.filter((_, bit) => (mask & (1 << bit)) !== 0);
      const set = ["mtime = ?", ...fields.map((f) => `${f} = ?`)].join(", ");
      statement = this.db.prepare(`UPDATE nodes SET ${set} WHERE pk = ? AND type != 'data'`);
      this.#updates[mask] = statement;
    }
    return statement;
  }
}

function parseAttributes(text: string): Record<string, unknown> {
  return parseCanonicalJson(text) as Record<string, unknown>;
}
