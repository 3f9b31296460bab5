import { join } from "node:path";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { MIGRATIONS, APPLICATION_ID } from "../../engine/store/sqlite/schema.js";
import { openReadOnly } from "../../engine/store/sqlite/read-only.js";
import { SqliteStore } from "../../engine/store/sqlite/sqlite-store.js";
import { useStoreFiles } from "../support/store-files.js";
import { useTempHome } from "../support/temp-home.js";

const home = useTempHome();
const files = useStoreFiles(home);

const uuid = "01a233d8-bd42-7001-8969-3d89ce3d07df";
const key = `${"0123456789abcdef".repeat(2)}:${"fedcba9876543210".repeat(2)}`;

/** The stored type of each node's uuid and cache key, by pk. */
function storedTypes(file: string): { uuid: string; key: string }[] {
  const db = new Database(file, { readonly: true });
  try {
    return db
      .prepare<[], { uuid: string; key: string }>(
        "SELECT typeof(uuid) AS uuid, typeof(cache_key) AS key FROM nodes ORDER BY pk",
      )
      .all();
  } finally {
    db.close();
  }
}

describe("the SQLite store's keys", () => {
  it("stores the engine's uuids and cache keys as bytes, other text as it is, and reads both back", () => {
    const file = join(home.scratch(), "keys.sqlite");
    const store = files.keep(new SqliteStore(file));
    const odd = "Not-A-UUID:imported";
    const run = store.addNode({
      type: "run",
      uuid,
      name: "f",
      state: "CREATED",
      ctime: 1,
      attributes: {},
    });
    const task = store.addNode({
      type: "task",
      uuid: odd,
      name: "t",
      kind: "in-process",
      state: "PLANNED",
      ctime: 1,
      attributes: { cacheKey: "code:input" },
    });
    store.updateProcess(task, { state: "FINISHED" });
    const other = store.addNode({
      type: "task",
      uuid: crypto.randomUUID(),
      name: "u",
      kind: "in-process",
      state: "FINISHED",
      ctime: 1,
      attributes: {},
    });
    store.flush();
    // a key set on a stored row goes through the UPDATE path
    store.updateProcess(other, { attributes: { cacheKey: key } });
    store.flush();
    expect(store.node(uuid)?.pk).toBe(run);
    expect(store.node(odd)?.pk).toBe(task);
    expect(store.nodeOfUuid(uuid)).toEqual({ pk: run, type: "run" });
    expect(store.findFinishedTask("code:input")?.uuid).toBe(odd);
    expect(store.findFinishedTask(key)?.pk).toBe(other);
    expect(store.node(other)?.cacheKey).toBe(key);
    expect(storedTypes(file)).toEqual([
      { uuid: "blob", key: "null" },
      { uuid: "text", key: "text" },
      { uuid: "blob", key: "blob" },
    ]);
  });

  it("opens a store of the first schema and packs its uuids and cache keys", () => {
    const file = join(home.scratch(), "first.sqlite");
    const db = new Database(file);
    db.exec((MIGRATIONS[0] as { sql: string }).sql);
    const insert = db.prepare(
      "INSERT INTO nodes (pk, uuid, type, kind, name, state, ctime, mtime, attributes, cache_key) VALUES (?, ?, ?, ?, ?, ?, 1, 1, '{}', ?)",
    );
    insert.run(1, uuid, "run", null, "f", "FINISHED", null);
    insert.run(2, "imported-1", "task", "in-process", "t", "FINISHED", "code:input");
    insert.run(3, crypto.randomUUID(), "task", "in-process", "u", "FINISHED", key);
    db.pragma(`application_id = ${APPLICATION_ID}`);
    db.pragma("user_version = 1");
    db.close();

    const store = files.keep(new SqliteStore(file));
    expect(store.node(uuid)?.name).toBe("f");
    expect(store.node("imported-1")?.name).toBe("t");
    expect(store.findFinishedTask("code:input")?.pk).toBe(2);
    expect(store.findFinishedTask(key)?.pk).toBe(3);
    expect(storedTypes(file)).toEqual([
      { uuid: "blob", key: "null" },
      { uuid: "text", key: "text" },
      { uuid: "blob", key: "blob" },
    ]);
  });

  it("opens a store of schema 4 and stores its link types as letters, reading back the same links", () => {
    const file = join(home.scratch(), "fourth.sqlite");
    const db = new Database(file);
    for (const migration of MIGRATIONS.filter((m) => m.version <= 4)) db.exec(migration.sql);
    const node = db.prepare(
      "INSERT INTO nodes (pk, uuid, type, kind, name, state, ctime, mtime, value) VALUES (?, ?, ?, ?, ?, ?, 1, 1, ?)",
    );
    node.run(1, "run-1", "run", null, "f", "FINISHED", null);
    node.run(2, "task-1", "task", "in-process", "t", "FINISHED", null);
    node.run(3, "data-1", "data", "Int", null, null, "1");
    node.run(4, "data-2", "data", "Int", null, null, "2");
    const link = db.prepare("INSERT INTO links (from_pk, to_pk, type, label) VALUES (?, ?, ?, ?)");
    link.run(1, 2, "CALL", "t");
    link.run(3, 2, "INPUT", "x");
    link.run(2, 4, "CREATE", "result");
    link.run(4, 1, "RETURN", "total");
    db.pragma(`application_id = ${APPLICATION_ID}`);
    db.pragma("user_version = 4");
    db.close();
    // Read-only, it cannot be brought up to date: refused, naming why.
    expect(() => openReadOnly(file)).toThrow(/schema version is 4, older than/);

    const store = files.keep(new SqliteStore(file));
    expect(store.links({})).toEqual([
      { from: 1, to: 2, type: "CALL", label: "t" },
      { from: 3, to: 2, type: "INPUT", label: "x" },
      { from: 2, to: 4, type: "CREATE", label: "result" },
      { from: 4, to: 1, type: "RETURN", label: "total" },
    ]);
    expect(store.links({ to: 2, type: "INPUT" })).toEqual([
      { from: 3, to: 2, type: "INPUT", label: "x" },
    ]);
    expect(store.tasks(1).map((t) => t.name)).toEqual(["t"]);
    expect(store.taskCount(1)).toBe(1);
    expect(store.hasLink({ from: 2, to: 4, type: "CREATE", label: "result" })).toBe(true);
    expect(store.hasLink({ from: 2, to: 4, type: "INPUT", label: "result" })).toBe(false);
    store.close();
    const reader = openReadOnly(file);
    expect(reader.links({ from: 1 })).toEqual([{ from: 1, to: 2, type: "CALL", label: "t" }]);
    reader.close();
    const raw = new Database(file, { readonly: true });
    try {
      expect(raw.prepare("SELECT type FROM links ORDER BY rowid").pluck().all()).toEqual([
        "c",
        "i",
        "o",
        "r",
      ]);
    } finally {
      raw.close();
    }
  });
  it("opens a store of schema 5 and indexes a slice of its cache keys, finding the same tasks", () => {
    const { file, twin } = schemaFiveFile();

    const store = files.keep(new SqliteStore(file));
    expect(store.findFinishedTask(key)?.pk).toBe(1);
    expect(store.findFinishedTask(twin)?.pk).toBe(2);
    expect(store.findFinishedTask("code:input")?.pk).toBe(3);
    expect(store.findFinishedTask(`${"0".repeat(32)}:${"0".repeat(32)}`)).toBeUndefined();
    store.close();
    const raw = new Database(file, { readonly: true });
    try {
      expect(raw.pragma("user_version", { simple: true })).toBe(MIGRATIONS.length);
      const index = raw
        .prepare("SELECT sql FROM sqlite_master WHERE name = 'nodes_cache_key'")
        .pluck()
        .get() as string;
      expect(index).toMatch(/substr\(cache_key, 13, 8\)/);
    } finally {
      raw.close();
    }
  });
  it("refuses a store of schema 7 read-only by name, and reads it once a writer brought it up to date", () => {
    const { file, twin } = schemaFiveFile();
    const raw = new Database(file);
    try {
      for (const migration of MIGRATIONS.slice(5, 7)) raw.exec(migration.sql);
      raw.pragma("user_version = 7");
    } finally {
      raw.close();
    }
    expect(() => openReadOnly(file)).toThrow(
      /schema version is 7, older than .* reads \(10\)\. Open it once for writing/,
    );
    new SqliteStore(file).close();
    const reader = openReadOnly(file);
    try {
      expect(reader.findFinishedTask(key)?.pk).toBe(1);
      expect(reader.findFinishedTask(twin)?.pk).toBe(2);
    } finally {
      reader.close();
    }
  });
});

/** A store file of schema 5 holding four tasks; `twin`'s key shares `key`'s indexed slice. */
function schemaFiveFile(): { file: string; twin: string } {
  const file = join(home.scratch(), "fifth.sqlite");
  const db = new Database(file);
  for (const migration of MIGRATIONS.filter((m) => m.version <= 5)) db.exec(migration.sql);
  const insert = db.prepare(
    "INSERT INTO nodes (pk, uuid, type, kind, name, state, ctime, mtime, cache_key) VALUES (?, ?, 'task', 'in-process', ?, ?, 1, 1, ?)",
  );
  const packed = (hex: string) => Buffer.from(hex.replace(":", ""), "hex");
  // the same slice (bytes 13-20) as `key`, another key
  const twin = `${"0123456789abcdef".repeat(2)}:${"fedcba98".repeat(1)}${"0".repeat(24)}`;
  insert.run(1, "task-1", "t", "FINISHED", packed(key));
  insert.run(2, "task-2", "t", "FINISHED", packed(twin));
  insert.run(3, "task-3", "u", "FINISHED", "code:input");
  insert.run(4, "task-4", "t", "FAILED", packed(key));
  db.pragma(`application_id = ${APPLICATION_ID}`);
  db.pragma("user_version = 5");
  db.close();
  return { file, twin };
}
