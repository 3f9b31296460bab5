import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { run, task } from "../../engine/index.js";
import type { NodeRow } from "../../engine/store/reader.js";
import { cacheKeySliceSql } from "../../engine/store/sqlite/cache-key-index.js";
import { openReadOnly } from "../../engine/store/sqlite/read-only.js";
import { MIGRATIONS } from "../../engine/store/sqlite/schema.js";
import { SqliteStore } from "../../engine/store/sqlite/sqlite-store.js";
import { useStoreFiles } from "../support/store-files.js";
import { useTempHome } from "../support/temp-home.js";

const files = useStoreFiles(useTempHome());

let calls = 0;
const double = task(function double(x: number) {
  calls++;
  return 2 * x;
});
const flow = async (x: number) => ({ y: double(x).result });

function indexes(file: string): string[] {
  const raw = new Database(file, { readonly: true });
  try {
    return raw
      .prepare<[], string>("SELECT name FROM sqlite_master WHERE type = 'index'")
      .pluck()
      .all()
      .sort();
  } finally {
    raw.close();
  }
}

/** A store holding one finished call of `double(x)`, and that call's row. */
async function storeWithCall(
  x: number,
): Promise<{ store: SqliteStore; file: string; call: NodeRow }> {
  const { store, file } = files.open();
  const done = run(flow, { x }, { store, log: false });
  await done;
  const call = store.tasks(done.pk)[0];
  if (call?.cacheKey === undefined || call.cacheKey === null) throw new Error("no cache key");
  return { store, file, call };
}

describe("the cache-key index (schema 11)", () => {
  it("is made by the first run that caches, which finds the stored call through it", async () => {
    const { store, file } = files.open();
    calls = 0;
    const first = await run(flow, { x: 4 }, { store, log: false });
    expect(first.y.value).toBe(8);
    expect(indexes(file)).not.toContain("nodes_cache_key");

    const cached = run(flow, { x: 4 }, { store, log: false, cache: true });
    expect((await cached).y.value).toBe(8);
    expect(calls).toBe(1);
    const attributes = JSON.parse(store.tasks(cached.pk)[0]?.attributes ?? "{}") as {
      reuse?: string;
    };
    expect(attributes.reuse).toBe("cache");
    expect(indexes(file)).toContain("nodes_cache_key");

    const raw = new Database(file, { readonly: true });
    try {
      const plan = raw
        .prepare(
          `EXPLAIN QUERY PLAN SELECT pk FROM nodes
           WHERE ${cacheKeySliceSql("cache_key")} = ${cacheKeySliceSql("?")} AND cache_key = ?`,
        )
        .all("k", "k") as { detail: string }[];
      expect(plan.map((step) => step.detail).join("\n")).toContain("nodes_cache_key");
    } finally {
      raw.close();
    }
  });

  it("is not needed to find a call by its key: a reader without it scans the tasks", async () => {
    const { file, call } = await storeWithCall(5);
    const reader = files.keep(openReadOnly(file));
    expect(reader.findFinishedTask(call.cacheKey as string)?.pk).toBe(call.pk);
    expect(indexes(file)).not.toContain("nodes_cache_key");
  });

  it("is dropped from a file of schema 10, and made again by its first lookup", async () => {
    const { store, file, call } = await storeWithCall(6);
    store.findFinishedTask(call.cacheKey as string);
    expect(indexes(file)).toContain("nodes_cache_key");
    files.closeAll();
    const raw = new Database(file);
    raw.pragma("user_version = 10");
    raw.close();

    const reopened = files.keep(new SqliteStore(file));
    expect(indexes(file)).not.toContain("nodes_cache_key");
    const check = new Database(file, { readonly: true });
    expect(check.pragma("user_version", { simple: true })).toBe(MIGRATIONS.length);
    check.close();
    expect(reopened.findFinishedTask(call.cacheKey as string)?.pk).toBe(call.pk);
    expect(indexes(file)).toContain("nodes_cache_key");
  });

  it("waits for no other process: while one holds the lock, a lookup scans and finds the call", async () => {
    const { store, file, call } = await storeWithCall(7);
    const other = new Database(file);
    other.exec("BEGIN IMMEDIATE");
    try {
      expect(store.findFinishedTask(call.cacheKey as string)?.pk).toBe(call.pk);
      expect(indexes(file)).not.toContain("nodes_cache_key");
    } finally {
      other.exec("ROLLBACK");
      other.close();
    }
    expect(store.findFinishedTask(call.cacheKey as string)?.pk).toBe(call.pk);
    expect(indexes(file)).toContain("nodes_cache_key");
  });
});
