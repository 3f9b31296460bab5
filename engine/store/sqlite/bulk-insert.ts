/**
 * Inserts many rows with few statement calls: a call into SQLite costs more than a row, so rows
 * go in by 64 (then 8, then 1) per `INSERT … VALUES (…), (…)`.
 */
import type Database from "better-sqlite3";

const CHUNKS = [64, 8, 1] as const;

/** The columns a link row is inserted with. */
export const LINK_INSERT_COLUMNS = ["from_pk", "to_pk", "type", "label"] as const;

/** The columns a report row is inserted with (rowid: the line's place in the order of all lines). */
export const REPORT_INSERT_COLUMNS = [
  "rowid",
  "run_pk",
  "at",
  "level",
  "step",
  "message",
  "text",
] as const;

/**
 * What a row SQLite refuses undoes: its statement alone (SQLite's default, `ABORT`), or the
 * whole transaction (`ROLLBACK`). Undoing a statement alone needs a journal of every page the
 * statement changes, copied as it goes (about a tenth of a batch's writing time); a writer
 * that rolls back all it wrote on any failure anyway has no use for it.
 */
export type RefusedRow = "ABORT" | "ROLLBACK";

/** A multi-row INSERT into one table's columns. */
export class BulkInsert {
  readonly #statements = new Map<number, Database.Statement<unknown[]>>();
  readonly #buffers = new Map<number, unknown[]>();

  constructor(
    private readonly db: Database.Database,
    private readonly table: string,
    private readonly columns: readonly string[],
    private readonly refused: RefusedRow = "ABORT",
  ) {}

  /** Inserts the rows whose values lie one after another in `values`. */
  run(values: readonly unknown[]): void {
    const width = this.columns.length;
    const rows = values.length / width;
    let row = 0;
    for (const size of CHUNKS) {
      const statement = rows - row >= size ? this.#statement(size) : undefined;
      if (statement === undefined) continue;
      const buffer = this.#buffers.get(size) as unknown[];
      for (; rows - row >= size; row += size) {
        const start = row * width;
        for (let i = 0; i < buffer.length; i++) buffer[i] = values[start + i];
        // As arguments, not one array: better-sqlite3 reads an array's values one property
        // lookup at a time, its arguments directly (about 8 % of the writer thread's time).
        statement.run(...buffer);
      }
    }
  }

  #statement(size: number): Database.Statement<unknown[]> {
    let statement = this.#statements.get(size);
    if (statement === undefined) {
      const row = `(${this.columns.map(() => "?").join(", ")})`;
      const sql = `INSERT OR ${this.refused} INTO ${this.table} (${this.columns.join(", ")}) VALUES ${Array(size).fill(row).join(", ")}`;
      statement = this.db.prepare<unknown[]>(sql);
      this.#statements.set(size, statement);
      this.#buffers.set(size, new Array<unknown>(size * this.columns.length));
    }
    return statement;
  }
}
