/** The read side of the SQLite store: every query the engine, the CLI and archives ask. */
import type Database from "better-sqlite3";
import type { ReportLine } from "../../model/events.js";
import type { LinkRecord } from "../store.js";
import type { LinkFilter, NodeRow, ProvenanceReader, RunFilter, StoreCounts } from "../reader.js";
import { reportText } from "../../model/report-line.js";
import { StatementCache } from "./statement-cache.js";
import { CALL, linkTypeSql, storedLinkType } from "./link-types.js";
import { attributesSql } from "./shared-attributes.js";
import { ALL_LINES_SQL, LINE_COUNT_SQL, RUN_LINES_SQL } from "./finished-lines.js";
import { cacheKeySliceSql } from "./cache-key-index.js";
import { FINISHED, kindSql, RUN, stateSql, storedState, TASK, typeSql } from "./node-codes.js";
import { storedUuid, uuidTextSql } from "./compact-keys.js";
import { cacheKeyTextSql, lookupForm } from "./cache-codes.js";
import { labelSql } from "./link-labels.js";
import { uuidMatchSql } from "./uuid-index.js";
import { ctimeSql } from "./uuid-times.js";

type StoredReport = Omit<ReportLine, "text"> & { readonly text: string | null };

/** A link whose ends are named by uuid. */
export interface UuidLink {
  readonly from: string;
  readonly to: string;
  readonly type: LinkRecord["type"];
  readonly label: string;
}

/** What {@link SqliteReader.streamAll} hands over, row by row. */
export interface StoreVisitor {
  node(row: NodeRow): void;
  link(link: UuidLink): void;
  report(line: ReportLine & { readonly run: string }): void;
}

/**
 * The columns of a node, named as {@link NodeRow} names them, but for its times after `ctime`:
 * `ctime` is decoded (uuid-times.ts) once per row, and {@link withTimes} adds it to the rest.
 */
export const NODE_COLUMNS = `pk, ${uuidTextSql("uuid")} AS uuid, ${typeSql("type")} AS type,
  ${kindSql("kind")} AS kind, name, ${stateSql("state")} AS state, exit_code AS exitCode,
  ${ctimeSql()} AS ctime, coalesce(ended_at, 0) + mtime AS mtime, started_at AS startedAt,
  ended_at AS endedAt, value,
  ${attributesSql("attributes")} AS attributes, ${cacheKeyTextSql("cache_key")} AS cacheKey`;

type TimedRow = { -readonly [K in "ctime" | "mtime" | "startedAt" | "endedAt"]: NodeRow[K] };

/** A row of {@link NODE_COLUMNS} with its times whole (in place). */
export function withTimes<T extends NodeRow | undefined>(row: T): T {
  if (row !== undefined) {
    const times = row as TimedRow;
    times.mtime += times.ctime;
    if (times.startedAt !== null) times.startedAt += times.ctime;
    if (times.endedAt !== null) times.endedAt += times.ctime;
  }
  return row;
}

/** Rows of {@link NODE_COLUMNS} with their times whole (in place). */
function allWithTimes(rows: NodeRow[]): NodeRow[] {
  for (const row of rows) withTimes(row);
  return rows;
}

const LINK_COLUMNS = `from_pk AS "from", to_pk AS "to", ${linkTypeSql("type")} AS type,
  ${labelSql("links")} AS label`;

/** Reads nodes, links and reports from one SQLite connection. */
export class SqliteReader implements ProvenanceReader {
  protected readonly statements: StatementCache;

  constructor(protected readonly db: Database.Database) {
    this.statements = new StatementCache(db);
  }

  /** Called before every read; a writer hands its queued rows to SQLite here. */
  protected beforeRead(): void {}

  /** Called before a lookup by cache key; a writer makes the index it uses here. */
  protected beforeCacheLookup(): void {}

  node(key: number | string): NodeRow | undefined {
    this.beforeRead();
    if (typeof key === "number") {
      return withTimes(
        this.statements
          .get<[number], NodeRow>(`SELECT ${NODE_COLUMNS} FROM nodes WHERE pk = ?`)
          .get(key),
      );
    }
    return withTimes(
      this.statements
        .get<[{ uuid: Buffer | string }], NodeRow>(
          `SELECT ${NODE_COLUMNS} FROM nodes WHERE ${uuidMatchSql("nodes")}`,
        )
        .get({ uuid: storedUuid(key) }),
    );
  }

  links(filter: LinkFilter): LinkRecord[] {
    this.beforeRead();
    const where = new Conditions()
      .add("from_pk = ?", filter.from)
      .add("to_pk = ?", filter.to)
      .add("type = ?", filter.type === undefined ? undefined : storedLinkType(filter.type));
    return this.statements
      .get<Param[], LinkRecord>(`SELECT ${LINK_COLUMNS} FROM links ${where.sql} ORDER BY rowid`)
      .all(...where.params);
  }

  reports(runPk: number): ReportLine[] {
    this.beforeRead();
    const rows = this.statements
      .get<[number, number], StoredReport>(
        `SELECT at, level, run_pk AS runPk, step, message, text FROM (${RUN_LINES_SQL}) ORDER BY seq`,
      )
      .all(runPk, runPk);
    return rows.map((row) => ({ ...row, text: row.text ?? reportText(row.runPk, row) }));
  }

  runs(filter: RunFilter): NodeRow[] {
    this.beforeRead();
    const states = filter.states ?? [];
    const where = new Conditions()
      .add(`type = ${RUN}`)
      .add(
        states.length > 0 ? `state IN (${states.map(() => "?").join(", ")})` : "",
        ...states.map((state) => storedState(state) as Param),
      )
      .add("name = ?", filter.name)
      .add("nodes.ctime >= ?", filter.since)
      .add("nodes.ctime < ?", filter.until);
    const limit = filter.limit !== undefined ? `LIMIT ${Math.trunc(filter.limit)}` : "";
    // A run's ctime is stored as it is (uuid-times.ts): its index orders and filters runs.
    return allWithTimes(
      this.statements
        .get<Param[], NodeRow>(
          `SELECT ${NODE_COLUMNS} FROM nodes ${where.sql} ORDER BY nodes.ctime DESC, pk DESC ${limit}`,
        )
        .all(...where.params),
    );
  }

  tasks(runPk: number): NodeRow[] {
    this.beforeRead();
    return allWithTimes(
      this.statements
        .get<[number], NodeRow>(
          `SELECT ${NODE_COLUMNS} FROM nodes JOIN
             (SELECT to_pk, rowid AS called FROM links WHERE from_pk = ? AND type = ${CALL}) c
             ON c.to_pk = nodes.pk ORDER BY c.called`,
        )
        .all(runPk),
    );
  }

  taskCount(runPk: number): number {
    this.beforeRead();
    return this.statements
      .get<[number], number>(`SELECT count(*) FROM links WHERE from_pk = ? AND type = ${CALL}`)
      .pluck()
      .get(runPk) as number;
  }

  findFinishedTask(cacheKey: string): NodeRow | undefined {
    this.beforeRead();
    this.beforeCacheLookup();
    const key = lookupForm(cacheKey, (hash) =>
      this.statements
        .get<[Buffer], Buffer>("SELECT ref FROM cache_codes WHERE hash = ?")
        .pluck()
        .get(hash),
    );
    if (key === undefined) return undefined;
    return withTimes(
      this.statements
        .get<[Buffer | string, Buffer | string], NodeRow>(
          `SELECT ${NODE_COLUMNS} FROM nodes
           WHERE ${cacheKeySliceSql("cache_key")} = ${cacheKeySliceSql("?")} AND cache_key = ?
             AND type = ${TASK} AND state = ${FINISHED} ORDER BY pk DESC LIMIT 1`,
        )
        .get(key, key),
    );
  }

  allNodes(): NodeRow[] {
    this.beforeRead();
    return allWithTimes(
      this.statements.get<[], NodeRow>(`SELECT ${NODE_COLUMNS} FROM nodes ORDER BY pk`).all(),
    );
  }

  allLinks(): LinkRecord[] {
    this.beforeRead();
    return this.statements
      .get<[], LinkRecord>(`SELECT ${LINK_COLUMNS} FROM links ORDER BY rowid`)
      .all();
  }

  /**
   * Every node, link (ends by uuid) and report line (run by uuid), in pk and write order, read
   * one row at a time from one consistent snapshot: an export of any size in bounded memory.
   */
  streamAll(visit: StoreVisitor): void {
    this.beforeRead();
    const read = (): void => {
      for (const row of this.statements
        .get<[], NodeRow>(`SELECT ${NODE_COLUMNS} FROM nodes ORDER BY pk`)
        .iterate()) {
        visit.node(withTimes(row));
      }
      for (const link of this.statements
        .get<[], UuidLink>(
          `SELECT ${uuidTextSql("f.uuid")} AS "from", ${uuidTextSql("t.uuid")} AS "to", ${linkTypeSql("l.type")} AS type, ${labelSql("l")} AS label FROM links l
             JOIN nodes f ON f.pk = l.from_pk JOIN nodes t ON t.pk = l.to_pk ORDER BY l.rowid`,
        )
        .iterate()) {
        visit.link(link);
      }
      for (const row of this.statements
        .get<[], StoredReport & { run: string }>(
          `SELECT ${uuidTextSql("n.uuid")} AS run, r.at, r.level, r.run_pk AS runPk, r.step, r.message, r.text
             FROM (${ALL_LINES_SQL}) r JOIN nodes n ON n.pk = r.run_pk ORDER BY r.run_pk, r.seq`,
        )
        .iterate()) {
        visit.report({ ...row, text: row.text ?? reportText(row.runPk, row) });
      }
    };
    if (this.db.inTransaction) read();
    else this.db.transaction(read).deferred();
  }

  counts(): StoreCounts {
    this.beforeRead();
    return this.statements
      .get<[], StoreCounts>(
        `SELECT (SELECT count(*) FROM nodes) AS nodes, (SELECT count(*) FROM links) AS links,
                ${LINE_COUNT_SQL} AS reports`,
      )
      .get() as StoreCounts;
  }
}

type Param = number | string | Buffer;

/** A WHERE clause built from the filters that are set. */
class Conditions {
  readonly #parts: string[] = [];
  readonly params: Param[] = [];

  /** Adds a condition; one with `?` and no value set (or an empty list) is left out. */
  add(sql: string, ...values: (Param | undefined)[]): this {
    if (sql === "" || (sql.includes("?") && (values.length === 0 || values.includes(undefined)))) {
      return this;
    }
    this.#parts.push(sql);
    for (const value of values) if (value !== undefined) this.params.push(value);
    return this;
  }

  get sql(): string {
    return this.#parts.length > 0 ? `WHERE ${this.#parts.join(" AND ")}` : "";
  }
}
