/** A store file opened for reading only: for views of a store another process may be writing. */
import Database from "better-sqlite3";
import * as messages from "../messages.js";
import { StoreOpenError } from "../store-errors.js";
import { OLDEST_READABLE_VERSION, SCHEMA_VERSION } from "./schema.js";
import { SqliteReader } from "./sqlite-reader.js";

/** A reader over a store file that never writes to it. */
export class ReadOnlyStore extends SqliteReader {
  /** Closes the file. */
  close(): void {
    this.db.close();
  }
}

/** Opens an existing store file read-only. */
export function openReadOnly(file: string): ReadOnlyStore {
  let db: Database.Database;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    throw new StoreOpenError(file, messages.cannotOpen(file, detail), { cause: error });
  }
  // Its reads need a schema they know, which only a writer brings an older file up to.
  const version = db.pragma("user_version", { simple: true }) as number;
  if (version < OLDEST_READABLE_VERSION || version > SCHEMA_VERSION) {
    db.close();
    const message =
      version > SCHEMA_VERSION
        ? messages.newerSchema(file, version, SCHEMA_VERSION)
        : messages.olderSchema(file, version, OLDEST_READABLE_VERSION);
    throw new StoreOpenError(file, message);
  }
  return new ReadOnlyStore(db);
}
