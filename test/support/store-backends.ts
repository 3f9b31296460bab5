/**
 * The backends a profile's store has, for tests that must hold for each: SQLite (a file in a
 * temp folder) and PostgreSQL (a schema of its own). `open()` gives a fresh empty store,
 * `reopen(store)` a second store over the same data; all are closed and removed after the file.
 */
import { rmSync } from "node:fs";
import { join } from "node:path";
import { afterAll } from "vitest";
import type { ProfileStore } from "../../engine/store/open-profile.js";
import { PostgresStore } from "../../engine/store/postgres/postgres-store.js";
import { SqliteStore } from "../../engine/store/sqlite/sqlite-store.js";
import { usePgSchemas } from "./postgres.js";
import { makeTempDir } from "./temp-home.js";

/** One kind of store. */
export interface StoreBackend {
  readonly name: "sqlite" | "postgresql";
  /** A fresh, empty store. */
  open(): ProfileStore;
  /** Another store over the data of `store` (as a second process would open it). */
  reopen(store: ProfileStore): ProfileStore;
  /** What a profile names as its storage for a fresh store ("sqlite" or a URL). */
  storage(): string;
}

/** The backends by name, and both as a list (for `describe.each`). */
export interface StoreBackends {
  readonly sqlite: StoreBackend;
  readonly postgresql: StoreBackend;
  readonly all: readonly [StoreBackend, StoreBackend];
}

/** SQLite and PostgreSQL backends for this test file, cleaned up after it. */
export function storeBackends(): StoreBackends {
  const schemas = usePgSchemas();
  const opened: ProfileStore[] = [];
  let folder: string | undefined;
  let files = 0;
  const urls = new WeakMap<ProfileStore, string>();
  afterAll(() => {
    for (const store of opened.splice(0)) {
      try {
        store.close();
      } catch {
        // Closed by the test already, or its server was cut on purpose.
      }
    }
    if (folder !== undefined) rmSync(folder, { recursive: true, force: true });
  });
  const keep = <S extends ProfileStore>(store: S): S => {
    opened.push(store);
    return store;
  };
  const sqlite: StoreBackend = {
    name: "sqlite",
    open: () => {
      folder ??= makeTempDir("workgraph-stores-");
      return keep(new SqliteStore(join(folder, `store-${++files}.sqlite`)));
    },
    reopen: (store) => keep(new SqliteStore(store.file)),
    storage: () => "sqlite",
  };
  const postgresql: StoreBackend = {
    name: "postgresql",
    open: () => {
      const url = schemas.url();
      const store = keep(new PostgresStore(url));
      urls.set(store, url);
      return store;
    },
    reopen: (store) => {
      const url = urls.get(store) ?? "";
      const again = keep(new PostgresStore(url));
      urls.set(again, url);
      return again;
    },
    storage: () => schemas.url(),
  };
  return { sqlite, postgresql, all: [sqlite, postgresql] };
}
