/**
 * SQLite store files for a test file: each store opened here (and each reader or store kept
 * with `keep`) is closed after its test, in a temporary home's scratch folders.
 */
import { join } from "node:path";
import { afterEach } from "vitest";
import { SqliteStore } from "../../engine/store/sqlite/sqlite-store.js";
import type { TempHome } from "./temp-home.js";

/** Opens stores in fresh folders, and closes what it holds after each test. */
export interface StoreFiles {
  /** A new store whose file is `name` in a fresh folder. */
  readonly open: (name?: string) => { store: SqliteStore; file: string };
  /** Closes `closable` (a reader, a store opened again) after the test; returns it. */
  readonly keep: <T extends { close(): void }>(closable: T) => T;
  /** Closes what is held now (before a test reopens a file its way). */
  readonly closeAll: () => void;
}

/** Registers the closing after each test of the calling file. */
export function useStoreFiles(home: TempHome): StoreFiles {
  const held: { close(): void }[] = [];
  const closeAll = (): void => {
    for (const each of held.splice(0)) each.close();
  };
  afterEach(closeAll);
  const keep = <T extends { close(): void }>(closable: T): T => {
    held.push(closable);
    return closable;
  };
  return {
    open: (name = "store.sqlite") => {
      const file = join(home.scratch(), name);
      return { store: keep(new SqliteStore(file)), file };
    },
    keep,
    closeAll,
  };
}
