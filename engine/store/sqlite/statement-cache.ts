/** Prepared statements, prepared once per SQL text: preparing costs more than running. */
import type Database from "better-sqlite3";

/** A cache of prepared statements of one connection, by SQL text. */
export class StatementCache {
  readonly #statements = new Map<string, Database.Statement>();

  constructor(private readonly db: Database.Database) {}

  /** The prepared statement of this SQL text. */
  get<P extends unknown[] = unknown[], R = unknown>(sql: string): Database.Statement<P, R> {
    let statement = this.#statements.get(sql);
    if (statement === undefined) this.#statements.set(sql, (statement = this.db.prepare(sql)));
    return statement as Database.Statement<P, R>;
  }
}
