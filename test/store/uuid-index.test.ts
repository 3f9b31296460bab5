import { join } from "node:path";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { exportArchive } from "../../engine/store/archive/export-archive.js";
import { importArchive } from "../../engine/store/archive/import-archive.js";
import type { NodeRecord } from "../../engine/store/store.js";
import { APPLICATION_ID, MIGRATIONS } from "../../engine/store/sqlite/schema.js";
import { openReadOnly } from "../../engine/store/sqlite/read-only.js";
import { SqliteStore } from "../../engine/store/sqlite/sqlite-store.js";
import { uuidMatchSql } from "../../engine/store/sqlite/uuid-index.js";
import { StoreWriteError } from "../../engine/store/store-errors.js";
import { useStoreFiles } from "../support/store-files.js";
import { useTempHome } from "../support/temp-home.js";

const home = useTempHome();
const files = useStoreFiles(home);

/** The run's uuid; its indexed slice is bytes 3–8: `33d8bd427001`. */
const RUN = "01a233d8-bd42-7001-8969-3d89ce3d07df";
/** Uuids by pk: the same slice as the run's with other bytes, text ones, the run's in capitals. */
const UUIDS: Record<number, string> = {
  1: RUN,
  2: "ffff33d8-bd42-7001-a000-000000000001",
  3: "000033d8-bd42-7001-8969-3d89ce3d07df",
  4: "Not-A-UUID:imported",
  5: RUN.toUpperCase(),
  6: "12",
};
const packed = (uuid: string) => Buffer.from(uuid.replaceAll("-", ""), "hex");

/** A store file of schema 8: a run (pk 1) calling tasks 2 and 3, data nodes 4–6, a line. */
function schemaEightFile(): string {
  const file = join(home.scratch(), "eighth.sqlite");
  const db = new Database(file);
  for (const migration of MIGRATIONS.filter((m) => m.version <= 8)) db.exec(migration.sql);
  const node = db.prepare(
    `INSERT INTO nodes (pk, uuid, type, kind, name, state, ctime, mtime, started_at, ended_at, value)
       VALUES (?, ?, ?, ?, ?, ?, 1000, 0, ?, ?, ?)`,
  );
  node.run(1, packed(RUN), "r", null, "flow", "F", 0, 10, null);
  node.run(2, packed(UUIDS[2] as string), "t", "p", "inc", "F", 1, 2, null);
  node.run(3, packed(UUIDS[3] as string), "t", "p", "inc1", "X", 1, 2, null);
  for (const pk of [4, 5, 6]) node.run(pk, UUIDS[pk], "d", "I", null, null, null, null, `${pk}`);
  const link = db.prepare("INSERT INTO links (from_pk, to_pk, type, label) VALUES (?, ?, ?, ?)");
  link.run(1, 2, "c", "");
  link.run(1, 3, "c", "");
  link.run(4, 2, "i", "x");
  link.run(2, 5, "o", "");
  db.prepare(
    "INSERT INTO reports (rowid, run_pk, at, level, step, message) VALUES (1, 1, 5, 'REPORT', 'run', 'started')",
  ).run();
  db.exec("UPDATE report_order SET next = 2");
  db.pragma(`application_id = ${APPLICATION_ID}`);
  db.pragma("user_version = 8");
  db.close();
  return file;
}

function dataNode(uuid: string, value: number): NodeRecord {
  return { type: "data", uuid, kind: "Int", value, ctime: 0 };
}

describe("the uuid index", () => {
  it("opens a store of schema 8, indexes a slice of its uuids and finds each node by its whole uuid", () => {
    const file = schemaEightFile();
    // Schema 10 stores times another way: a reader refuses the file until a writer updates it.
    expect(() => openReadOnly(file)).toThrow(/schema version is 8, older than/);

    const store = files.keep(new SqliteStore(file));
    const times = store
      .allNodes()
      .map((n) => [n.pk, n.uuid, n.type, n.ctime, n.startedAt, n.endedAt, n.mtime, n.value]);
    expect(times).toEqual([
      [1, RUN, "run", 1000, 1000, 1010, 1010, null],
      [2, UUIDS[2], "task", 1000, 1001, 1002, 1002, null],
      [3, UUIDS[3], "task", 1000, 1001, 1002, 1002, null],
      [4, UUIDS[4], "data", 1000, null, null, 1000, "4"],
      [5, UUIDS[5], "data", 1000, null, null, 1000, "5"],
      [6, UUIDS[6], "data", 1000, null, null, 1000, "6"],
    ]);
    expect(store.allLinks()).toEqual([
      { from: 1, to: 2, type: "CALL", label: "inc" },
      { from: 1, to: 3, type: "CALL", label: "inc1" },
      { from: 4, to: 2, type: "INPUT", label: "x" },
      { from: 2, to: 5, type: "CREATE", label: "result" },
    ]);
    expect(store.reports(1).map((line) => [line.at, line.message])).toEqual([[5, "started"]]);
    expect(store.tasks(1).map((task) => task.name)).toEqual(["inc", "inc1"]);
    for (const [pk, uuid] of Object.entries(UUIDS)) {
      expect(store.node(uuid)?.pk).toBe(Number(pk));
      expect(store.nodeOfUuid(uuid)?.pk).toBe(Number(pk));
    }
    // Same slice, another uuid: no node.
    expect(store.node("abcd33d8-bd42-7001-8969-3d89ce3d07df")).toBeUndefined();
    expect(store.node(RUN.slice(0, 35))).toBeUndefined();

    const raw = new Database(file, { readonly: true });
    try {
      expect(raw.pragma("user_version", { simple: true })).toBe(MIGRATIONS.length);
      const indexes = raw
        .prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'nodes'")
        .pluck()
        .all();
      // The cache-key index comes with the first lookup by key (cache-key-index.ts).
      expect(indexes.sort()).toEqual(["nodes_runs", "nodes_uuid"]);
      const plan = raw
        .prepare(`EXPLAIN QUERY PLAN SELECT pk FROM nodes WHERE ${uuidMatchSql("nodes")}`)
        .all({ uuid: packed(RUN) }) as { detail: string }[];
      expect(plan.map((step) => step.detail).join("\n")).toMatch(/USING INDEX nodes_uuid/);
      const types = raw.prepare("SELECT typeof(uuid) FROM nodes ORDER BY pk").pluck().all();
      expect(types).toEqual(["blob", "blob", "blob", "text", "text", "text"]);
    } finally {
      raw.close();
    }
  });

  it("refuses a batch holding a uuid stored already, or twice, and takes one sharing only its slice", () => {
    const store = files.keep(new SqliteStore(schemaEightFile()));
    const twin = "eeee33d8-bd42-7001-8969-3d89ce3d07df";
    for (const uuid of [RUN, UUIDS[2] as string, UUIDS[4] as string, "12"]) {
      store.addNode(dataNode(twin, 1));
      store.addNode(dataNode(uuid, 2));
      expect(() => store.flush()).toThrow(StoreWriteError);
      expect(store.counts().nodes).toBe(6);
    }
    const fresh = "01a233d8-bd42-7002-8000-000000000000";
    store.addNode(dataNode(fresh, 3));
    store.addNode(dataNode(fresh, 4));
    expect(() => store.flush()).toThrow(/UNIQUE constraint failed: nodes\.uuid/);
    // Random (version 4) uuids, each a range of its own; then one of them again. Fewer than a
    // turn's first part-way post (256 rows), so all of them go in the one batch refused.
    const random = Array.from({ length: 200 }, () => crypto.randomUUID());
    for (const [i, uuid] of random.entries()) store.addNode(dataNode(uuid, i));
    store.addNode(dataNode(random[150] as string, 0));
    expect(() => store.flush()).toThrow(/UNIQUE constraint failed: nodes\.uuid/);
    store.addNode(dataNode("Not-A-UUID:twice", 1));
    store.addNode(dataNode("Not-A-UUID:twice", 2));
    expect(() => store.flush()).toThrow(/UNIQUE constraint failed: nodes\.uuid/);
    expect(store.counts().nodes).toBe(6);
    const pk = store.addNode(dataNode(twin, 5));
    store.flush();
    expect(store.counts().nodes).toBe(7);
    expect(store.node(twin)?.pk).toBe(pk);
    expect(store.node(RUN)?.pk).toBe(1);
    for (const [i, uuid] of random.entries()) store.addNode(dataNode(uuid, i));
    store.flush();
    expect(store.counts().nodes).toBe(207);
    // Alone in its batch, and among other random ones: each a stretch of one slice.
    store.addNode(dataNode(random[7] as string, 1));
    expect(() => store.flush()).toThrow(/UNIQUE constraint failed: nodes\.uuid/);
    store.addNode(dataNode(crypto.randomUUID(), 1));
    store.addNode(dataNode(random[199] as string, 1));
    store.addNode(dataNode(crypto.randomUUID(), 1));
    expect(() => store.flush()).toThrow(/UNIQUE constraint failed: nodes\.uuid/);
    expect(store.counts().nodes).toBe(207);
  });

  it("refuses it the same way when the store writes without a writer thread", () => {
    const store = files.keep(
      new SqliteStore(join(home.scratch(), "inline.sqlite"), { writerThread: false }),
    );
    store.addNode(dataNode(RUN, 1));
    store.flush();
    store.addNode(dataNode(UUIDS[2] as string, 2));
    store.addNode(dataNode(RUN, 3));
    expect(() => store.flush()).toThrow(/UNIQUE constraint failed: nodes\.uuid/);
    expect(store.counts().nodes).toBe(1);
    store.addNode(dataNode(UUIDS[2] as string, 4));
    store.flush();
    expect(store.node(UUIDS[2] as string)?.value).toBe("4");
  });

  it("exports the migrated store and imports it into an empty one with every uuid kept", () => {
    const from = files.keep(new SqliteStore(schemaEightFile()));
    const archive = join(home.scratch(), "eighth.wgarchive");
    exportArchive(archive, { store: from });
    const into = files.keep(new SqliteStore(join(home.scratch(), "into.sqlite")));
    importArchive(archive, { store: into });
    const byUuid = (store: SqliteStore) => store.allNodes().map(({ pk: _pk, ...node }) => node);
    expect(byUuid(into)).toEqual(byUuid(from));
    for (const uuid of Object.values(UUIDS)) {
      expect(into.node(uuid)?.uuid).toBe(uuid);
    }
    // A second import adds nothing: every node is found by its uuid.
    expect(importArchive(archive, { store: into }).nodes).toBe(0);
    expect(into.counts()).toEqual(from.counts());
  });
});
