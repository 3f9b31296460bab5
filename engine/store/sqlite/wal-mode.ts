/**
 * A file's switch to write-ahead logging. The switch needs the file to itself; when several
 * processes open a new store at once (workers of one profile starting together), the ones
 * holding a read lock while asking for it are refused at once with SQLITE_BUSY, since waiting
 * there could deadlock, so the busy timeout does not help. The switch is tried again instead.
 */
import type Database from "better-sqlite3";
import { retryWhileBusy } from "./busy.js";

/** How long to keep trying before the refusal is the caller's. */
const SWITCH_WAIT_MS = 10_000;
/** The longest pause between tries. */
const PAUSE_MS = 10;

/** Puts `db`'s file in WAL mode, waiting out other processes switching it too. */
export function switchToWal(db: Database.Database): void {
  retryWhileBusy(() => db.pragma("journal_mode = WAL"), SWITCH_WAIT_MS, PAUSE_MS);
}
