/**
 * Groups the writes of one event-loop turn into one transaction: the first write opens it, and
 * it commits on `setImmediate` (or on `commit()`). A process killed mid-turn loses that turn's
 * rows whole, never half of them, and a busy run pays for one commit per turn, not per row.
 */
import type Database from "better-sqlite3";
import type { PendingWrites } from "./pending-writes.js";

/** The transaction of the current event-loop turn. */
export class WriteGroup {
  readonly #begin: Database.Statement;
  readonly #commit: Database.Statement;
  readonly #rollback: Database.Statement;
  #open = false;
  readonly #commitSoon = (): void => this.commit();

  constructor(
    private readonly db: Database.Database,
    private readonly pending: PendingWrites,
  ) {
    // IMMEDIATE takes the write lock at once: the pks handed out before COMMIT stay ours.
    this.#begin = db.prepare("BEGIN IMMEDIATE");
    this.#commit = db.prepare("COMMIT");
    this.#rollback = db.prepare("ROLLBACK");
  }

  /** Called before each write: opens the turn's transaction if none is open. */
  enter(): void {
    // Inside an explicit transaction (an archive import) the writes are already grouped.
    if (this.#open || this.db.inTransaction) return;
    this.#begin.run();
    this.#open = true;
    setImmediate(this.#commitSoon);
  }

  /** Inserts the queued rows and commits the turn's writes now. */
  commit(): void {
    if (!this.#open) return;
    this.#open = false;
    try {
      this.pending.drain();
      this.#commit.run();
    } catch (error) {
      // All of the turn or none of it: a half-inserted turn must not be committed later.
      if (this.db.inTransaction) this.#rollback.run();
      throw error;
    } finally {
      this.pending.reset();
    }
  }
}
