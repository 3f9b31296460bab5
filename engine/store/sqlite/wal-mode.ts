/**
 * A file's switch to write-ahead logging. The switch needs the file to itself; when several
 * processes open a new store at once (workers of one profile starting together), the ones
 * holding a read lock while asking for it are refused at once with SQLITE_BUSY, since waiting
 * there could deadlock, so the busy timeout does not help. The switch is tried again instead.
 */
import type Database from "better-sqlite3";

/** How long to keep trying before the refusal is the caller's. */
const SWITCH_WAIT_MS = 10_000;
/** The longest pause between tries; each pause is random below it, so racers fall apart. */
const PAUSE_MS = 10;

const pause = new Int32Array(new SharedArrayBuffer(4));

/** Puts `db`'s file in WAL mode, waiting out other processes switching it too. */
export function switchToWal(db: Database.Database): void {
  const deadline = Date.now() + SWITCH_WAIT_MS;
  for (;;) {
    try {
      db.pragma("journal_mode = WAL");
      return;
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      if (code !== "SQLITE_BUSY" || Date.now() > deadline) throw error;
      Atomics.wait(pause, 0, 0, 1 + Math.random() * PAUSE_MS);
    }
  }
}
