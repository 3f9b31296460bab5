/**
 * Opens a store file. An existing file is first opened read-only and checked (is it SQLite,
 * is it ours, is its schema one we know), so a wrong file is reported and never written to.
 */
import { existsSync, statSync } from "node:fs";
import Database from "better-sqlite3";
import * as messages from "../messages.js";
import { StoreOpenError } from "../store-errors.js";
import { APPLICATION_ID, MIGRATIONS, SCHEMA_VERSION } from "./schema.js";
import { switchToWal } from "./wal-mode.js";

/** Opens (creating when missing) a store file, or `:memory:`, ready for writing. */
export function openDatabase(file: string): Database.Database {
  const exists = file !== ":memory:" && existsSync(file);
  if (exists) checkFile(file);
  let db: Database.Database;
  try {
    db = new Database(file);
  } catch (error) {
    throw new StoreOpenError(file, messages.cannotOpen(file, describe(error)), { cause: error });
  }
  try {
    switchToWal(db);
    tuneConnection(db);
    migrate(db, file);
    return db;
  } catch (error) {
    db.close();
    if (error instanceof StoreOpenError) throw error;
    throw new StoreOpenError(file, messages.cannotOpen(file, describe(error)), { cause: error });
  }
}

/** Sets how a connection to a store file writes (the store's own, or its writer thread's). */
export function tuneConnection(db: Database.Database): void {
  db.pragma("synchronous = NORMAL");
  db.pragma("busy_timeout = 5000");
  // The declared foreign keys are not enforced: the store checks both ends of a link and a
  // report's run before it queues them, and enforcing them again costs two lookups a link.
  db.pragma("foreign_keys = OFF");
  // Fold the log into the file every ~40 MB rather than 4 MB: a checkpoint syncs the disk,
  // and one per big run beats ten in the middle of it. Closing the store folds the rest.
  db.pragma("wal_autocheckpoint = 10000");
  // A busy turn touches more pages than the default 2 MB cache; spilling them mid-turn
  // would write and read them twice.
  db.pragma("cache_size = -32768");
}

function checkFile(file: string): void {
  if (statSync(file).isDirectory()) {
    throw new StoreOpenError(file, messages.cannotOpen(file, "it is a folder"));
  }
  let probe: Database.Database | undefined;
  let version: number;
  let applicationId: number;
  let tables: string[];
  try {
    probe = new Database(file, { readonly: true, fileMustExist: true });
    // Reading the schema is what makes SQLite look at the header.
    tables = probe
      .prepare<[], string>("SELECT name FROM sqlite_master WHERE type = 'table'")
      .pluck()
      .all();
    version = probe.pragma("user_version", { simple: true }) as number;
    applicationId = probe.pragma("application_id", { simple: true }) as number;
  } catch (error) {
    throw new StoreOpenError(file, messages.notSqlite(file, describe(error)), { cause: error });
  } finally {
    probe?.close();
  }
  if (tables.length > 0 && applicationId !== APPLICATION_ID) {
    throw new StoreOpenError(file, messages.notAStore(file, tables));
  }
  if (version > SCHEMA_VERSION) {
    throw new StoreOpenError(file, messages.newerSchema(file, version, SCHEMA_VERSION));
  }
}

/** Applies the migrations the file lacks, in one transaction that also re-checks the version. */
function migrate(db: Database.Database, file: string): void {
  const current = (): number => db.pragma("user_version", { simple: true }) as number;
  if (current() === SCHEMA_VERSION) return;
  db.transaction(() => {
    const from = current();
    if (from > SCHEMA_VERSION) {
      throw new StoreOpenError(file, messages.newerSchema(file, from, SCHEMA_VERSION));
    }
    for (const migration of MIGRATIONS) {
      if (migration.version > from) db.exec(migration.sql);
    }
    db.pragma(`application_id = ${APPLICATION_ID}`);
    db.pragma(`user_version = ${SCHEMA_VERSION}`);
  }).immediate();
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
