/**
 * The provenance store over one SQLite file (or `:memory:`). Writes are synchronous, grouped
 * into one transaction per event-loop turn, and get their pk from `lastInsertRowid`; reads see
 * them at once. Opening a file marks KILLED the runs whose process died.
 */
import type Database from "better-sqlite3";
import type { ReportLine } from "../../model/events.js";
import { canonicalJson, parseCanonicalJson } from "../canonical-json.js";
import type { NodeRow } from "../reader.js";
import { NodeNotFoundError } from "../store-errors.js";
import type { LinkRecord, NodeRecord, ProcessUpdate, ProvenanceStore } from "../store.js";
import { flushOnExit, forgetOnExit } from "./exit-flush.js";
import { openDatabase } from "./open-database.js";
import { currentOwner, killOrphanedRuns } from "./orphaned-runs.js";
import { SqliteReader } from "./sqlite-reader.js";
import { WriteGroup } from "./write-group.js";

/** A node to insert as it is, with every column: what an archive import writes. */
export type NodeInsert = Omit<NodeRow, "pk">;

const UPDATE_FIELDS = ["state", "exit_code", "started_at", "ended_at", "attributes", "cache_key"];

/** A {@link ProvenanceStore} over one SQLite file, which can also be read. */
export class SqliteStore extends SqliteReader implements ProvenanceStore {
  /** The runs marked KILLED when this store opened, because their process had died. */
  readonly killedOnOpen: readonly number[];
  readonly #group: WriteGroup;
  readonly #insertData: Database.Statement<[string, string, string, number, number]>;
  readonly #insertProcess: Database.Statement<
    [string, string, string | null, string, string, number, number, string, string | null]
  >;
  readonly #insertLink: Database.Statement<[number, number, string, string]>;
  readonly #insertReport: Database.Statement<[number, number, string, string, string, string]>;
  readonly #updates: (Database.Statement | undefined)[] = [];

  /** Opens (creating when missing) the store in `file`; `:memory:` keeps it in memory. */
  constructor(readonly file = ":memory:") {
    super(openDatabase(file));
    this.killedOnOpen = file === ":memory:" ? [] : killOrphanedRuns(this.db);
    this.#group = new WriteGroup(this.db);
    this.#insertData = this.db.prepare(
      "INSERT INTO nodes (uuid, type, kind, value, ctime, mtime) VALUES (?, 'data', ?, ?, ?, ?)",
    );
    this.#insertProcess = this.db.prepare(
      `INSERT INTO nodes (uuid, type, kind, name, state, ctime, mtime, attributes, cache_key)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.#insertLink = this.db.prepare(
      "INSERT INTO links (from_pk, to_pk, type, label) VALUES (?, ?, ?, ?)",
    );
    this.#insertReport = this.db.prepare(
      "INSERT INTO reports (run_pk, at, level, step, message, text) VALUES (?, ?, ?, ?, ?, ?)",
    );
    if (file !== ":memory:") flushOnExit(this);
  }

  addNode(node: NodeRecord): number {
    this.#group.enter();
    if (node.type === "data") {
      const value = canonicalJson(node.value);
      return this.#insertData.run(node.uuid, node.kind, value, node.ctime, node.ctime)
        .lastInsertRowid as number;
    }
    const attributes =
      node.type === "run" ? { ...node.attributes, owner: currentOwner() } : node.attributes;
    const kind = node.type === "task" ? node.kind : null;
    return this.#insertProcess.run(
      node.uuid,
      node.type,
      kind,
      node.name,
      node.state,
      node.ctime,
      node.ctime,
      canonicalJson(attributes),
      cacheKeyOf(attributes) ?? null,
    ).lastInsertRowid as number;
  }

  updateProcess(pk: number, update: ProcessUpdate): void {
    this.#group.enter();
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
    const patch =
      update.error !== undefined ? { ...update.attributes, error: update.error } : update.attributes;
    if (patch !== undefined) {
      set(4, canonicalJson({ ...this.#attributes(pk), ...patch }));
      if ("cacheKey" in patch) set(5, cacheKeyOf(patch) ?? null);
    }
    values.push(pk);
    if (this.#update(mask).run(...values).changes === 0) throw new NodeNotFoundError(pk);
  }

  addLink(link: LinkRecord): void {
    this.#group.enter();
    this.#insertLink.run(link.from, link.to, link.type, link.label);
  }

  addReport(runPk: number, line: ReportLine): void {
    this.#group.enter();
    this.#insertReport.run(runPk, line.at, line.level, line.step, line.message, line.text);
  }

  flush(): void {
    this.#group.commit();
  }

  /** Runs `fn` in one transaction (after committing pending writes): all of it or nothing. */
  transaction<T>(fn: () => T): T {
    this.flush();
    return this.db.transaction(fn).immediate();
  }

  /** Inserts a node with every column as given (an archive import); returns its pk. */
  insertNode(row: NodeInsert): number {
    this.#group.enter();
    return this.statements
      .get<unknown[]>(
        `INSERT INTO nodes (uuid, type, kind, name, state, exit_code, ctime, mtime, started_at,
           ended_at, value, attributes, cache_key) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        row.uuid,
        row.type,
        row.kind,
        row.name,
        row.state,
        row.exitCode,
        row.ctime,
        row.mtime,
        row.startedAt,
        row.endedAt,
        row.value,
        row.attributes,
        row.cacheKey,
      ).lastInsertRowid as number;
  }

  /** Whether this very link is stored. */
  hasLink(link: LinkRecord): boolean {
    return (
      this.statements
        .get<[number, number, string, string]>(
          "SELECT 1 FROM links WHERE to_pk = ? AND from_pk = ? AND type = ? AND label = ?",
        )
        .get(link.to, link.from, link.type, link.label) !== undefined
    );
  }

  /** Whether this very report line of the run is stored. */
  hasReport(runPk: number, line: Pick<ReportLine, "at" | "text">): boolean {
    return (
      this.statements
        .get<[number, number, string]>("SELECT 1 FROM reports WHERE run_pk = ? AND at = ? AND text = ?")
        .get(runPk, line.at, line.text) !== undefined
    );
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

  #attributes(pk: number): Record<string, unknown> {
    const text = this.statements
      .get<[number], string | null>("SELECT attributes FROM nodes WHERE pk = ?")
      .pluck()
      .get(pk);
    return typeof text === "string" ? (parseCanonicalJson(text) as Record<string, unknown>) : {};
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

function cacheKeyOf(attributes: Readonly<Record<string, unknown>>): string | undefined {
  const key = attributes.cacheKey;
  return typeof key === "string" ? key : undefined;
}
