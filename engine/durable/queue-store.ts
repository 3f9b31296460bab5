/** The store a profile's run queue lives in: its SQLite store (a PostgreSQL one is refused). */
import { openProfile } from "../store/open-profile.js";
import { SqliteStore } from "../store/sqlite/sqlite-store.js";
import { QueueNeedsSqliteError } from "./errors.js";

/** Opens the store of `profile` for its run queue; a clear error when it is not SQLite. */
export function openQueueStore(profile: string): SqliteStore {
  const opened = openProfile(profile);
  if (opened.store instanceof SqliteStore) return opened.store;
  opened.store.close();
  throw new QueueNeedsSqliteError(profile, opened.path);
}
