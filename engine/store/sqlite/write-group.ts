/**
 * Groups the writes of one event-loop turn into one transaction: the first write opens it, and
 * it commits on `setImmediate` (or on `commit()`). A process killed mid-turn loses that turn's
 * rows whole, never half of them, and a busy run pays for one commit per turn, not per row.
 */
import type Database from "better-sqlite3";

/** The transaction of the current event-loop turn. */
export class WriteGroup {
  readonly #db: Database.Database;
  readonly #begin: Database.Statement;
  readonly #commit: Database.Statement;
  #open = false;
  readonly #commitSoon = (): void => this.commit();

  constructor(db: Database.Database) {
    this.#db = db;
    // IMMEDIATE takes the write lock at once, so a turn never fails half-way on a busy file.
    this.#begin = db.prepare("BEGIN IMMEDIATE");
    this.#commit = db.prepare("COMMIT");
  }

  /** Called before each write: opens the turn's transaction if none is open. */
  enter(): void {
    // Inside an explicit transaction (an archive import) the writes are already grouped.
    if (this.#open || this.#db.inTransaction) return;
    this.#begin.run();
    this.#open = true;
    setImmediate(this.#commitSoon);
  }

  /** Commits the turn's writes now. */
  commit(): void {
    if (!this.#open) return;
    this.#open = false;
    if (this.#db.open && this.#db.inTransaction) this.#commit.run();
  }
}
