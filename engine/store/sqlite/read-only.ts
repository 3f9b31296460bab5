/** A store file opened for reading only: for views of a store another process may be writing. */
import Database from "better-sqlite3";
import * as messages from "../messages.js";
import { StoreOpenError } from "../store-errors.js";
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
  return new ReadOnlyStore(db);
}
