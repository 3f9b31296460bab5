/** The reads of the PostgreSQL store, run on its thread: the same rows the SQLite store reads. */
import type pg from "pg";
import type { ReportLine } from "../../model/events.js";
import { reportText } from "../../model/report-line.js";
import type { LinkRecord } from "../store.js";
import type { NodeRow, StoreCounts } from "../reader.js";
import type { ReadQueries } from "./pg-protocol.js";

const NODE_COLUMNS = `pk, uuid, type, kind, name, state, exit_code AS "exitCode", ctime, mtime,
  started_at AS "startedAt", ended_at AS "endedAt", value, attributes, cache_key AS "cacheKey"`;

const LINK_COLUMNS = `from_pk AS "from", to_pk AS "to", type, label`;

type StoredReport = Omit<ReportLine, "text"> & { readonly text: string | null };

type Reads = {
  [Q in keyof ReadQueries]: (client: pg.Client, ...args: ReadQueries[Q]) => Promise<unknown>;
};

/** A WHERE clause of `$n` conditions for the filters that are set. */
class Conditions {
  readonly #parts: string[] = [];
  readonly params: unknown[] = [];

  add(sql: string, value?: unknown): this {
    if (sql.includes("$?") && value === undefined) return this;
    if (sql.includes("$?")) {
      this.params.push(value);
      sql = sql.replace("$?", `$${this.params.length}`);
    }
    this.#parts.push(sql);
    return this;
  }

  get sql(): string {
    return this.#parts.length > 0 ? `WHERE ${this.#parts.join(" AND ")}` : "";
  }
}

async function rows<T extends object>(
  client: pg.Client,
  sql: string,
  params: unknown[] = [],
): Promise<T[]> {
  return (await client.query<T>(sql, params)).rows;
}

/** Every read, by name. */
export const reads: Reads = {
  async node(client, key) {
    const column = typeof key === "number" ? "pk" : "uuid";
    const sql = `SELECT ${NODE_COLUMNS} FROM nodes WHERE ${column} = $1`;
    return (await rows<NodeRow>(client, sql, [key]))[0];
  },
  async links(client, filter) {
    const where = new Conditions()
      .add("from_pk = $?", filter.from)
      .add("to_pk = $?", filter.to)
      .add("type = $?", filter.type);
    const sql = `SELECT ${LINK_COLUMNS} FROM links ${where.sql} ORDER BY id`;
    return rows<LinkRecord>(client, sql, where.params);
  },
  async reports(client, runPk) {
    const found = await rows<StoredReport>(
      client,
      `SELECT at, level, run_pk AS "runPk", step, message, text FROM reports
       WHERE run_pk = $1 ORDER BY id`,
      [runPk],
    );
    return found.map((row) => ({ ...row, text: row.text ?? reportText(row.runPk, row) }));
  },
  async runs(client, filter) {
    const states = filter.states ?? [];
    const where = new Conditions()
      .add("type = 'run'")
      .add("state = ANY($?)", states.length > 0 ? [...states] : undefined)
      .add("name = $?", filter.name)
      .add("ctime >= $?", filter.since)
      .add("ctime < $?", filter.until);
    const limit = filter.limit !== undefined ? `LIMIT ${Math.trunc(filter.limit)}` : "";
    const sql = `SELECT ${NODE_COLUMNS} FROM nodes ${where.sql} ORDER BY ctime DESC, pk DESC ${limit}`;
    return rows<NodeRow>(client, sql, where.params);
  },
  async tasks(client, runPk) {
    // call order is the order of the CALL links: pks come in blocks per process, so a task a
    // worker created when it continued a run may have a smaller pk than its predecessor's
    const sql = `SELECT ${NODE_COLUMNS} FROM nodes JOIN
      (SELECT to_pk, id AS called FROM links WHERE from_pk = $1 AND type = 'CALL') c
      ON c.to_pk = nodes.pk ORDER BY c.called`;
    return rows<NodeRow>(client, sql, [runPk]);
  },
  async taskCount(client, runPk) {
    const sql = "SELECT count(*) AS n FROM links WHERE from_pk = $1 AND type = 'CALL'";
    return (await rows<{ n: number }>(client, sql, [runPk]))[0]?.n ?? 0;
  },
  async findFinishedTask(client, cacheKey) {
    const sql = `SELECT ${NODE_COLUMNS} FROM nodes
      WHERE cache_key = $1 AND type = 'task' AND state = 'FINISHED' ORDER BY pk DESC LIMIT 1`;
    return (await rows<NodeRow>(client, sql, [cacheKey]))[0];
  },
  async allNodes(client) {
    return rows<NodeRow>(client, `SELECT ${NODE_COLUMNS} FROM nodes ORDER BY pk`);
  },
  async allLinks(client) {
    return rows<LinkRecord>(client, `SELECT ${LINK_COLUMNS} FROM links ORDER BY id`);
  },
  async counts(client) {
    const sql = `SELECT (SELECT count(*) FROM nodes) AS nodes, (SELECT count(*) FROM links) AS links,
      (SELECT count(*) FROM reports) AS reports`;
    return (await rows<StoreCounts>(client, sql))[0];
  },
  async nodeTypes(client, pks) {
    const sql = "SELECT pk, type FROM nodes WHERE pk = ANY($1)";
    const found = await rows<{ pk: number; type: string }>(client, sql, [[...pks]]);
    return found.map((row) => [row.pk, row.type] as const);
  },
  async hasLink(client, link) {
    const sql =
      "SELECT 1 FROM links WHERE to_pk = $1 AND from_pk = $2 AND type = $3 AND label = $4 LIMIT 1";
    return (await rows(client, sql, [link.to, link.from, link.type, link.label])).length > 0;
  },
  async hasReport(client, runPk, at, step, message) {
    const sql =
      "SELECT 1 FROM reports WHERE run_pk = $1 AND at = $2 AND step = $3 AND message = $4 LIMIT 1";
    return (await rows(client, sql, [runPk, at, step, message])).length > 0;
  },
};
