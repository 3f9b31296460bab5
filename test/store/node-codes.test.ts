import { join } from "node:path";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import type { NodeRow } from "../../engine/store/reader.js";
import { exportArchive } from "../../engine/store/archive/export-archive.js";
import { importArchive } from "../../engine/store/archive/import-archive.js";
import { APPLICATION_ID, MIGRATIONS } from "../../engine/store/sqlite/schema.js";
import { openReadOnly } from "../../engine/store/sqlite/read-only.js";
import { SqliteStore } from "../../engine/store/sqlite/sqlite-store.js";
import { RUN_STATES, TASK_STATES } from "../../engine/model/states.js";
import { useStoreFiles } from "../support/store-files.js";
import { useTempHome } from "../support/temp-home.js";

const home = useTempHome();
const files = useStoreFiles(home);

const key = `${"0123456789abcdef".repeat(2)}:${"fedcba9876543210".repeat(2)}`;

/** A node as a reader gives it, from the columns that vary here. */
function row(pk: number, fields: Partial<NodeRow>): NodeRow {
  return {
    pk,
    uuid: `node-${pk}`,
    type: "task",
    kind: null,
    name: null,
    state: null,
    exitCode: null,
    ctime: 0,
    mtime: 0,
    startedAt: null,
    endedAt: null,
    value: null,
    attributes: null,
    cacheKey: null,
    ...fields,
  };
}

// Names the engine knows, names it does not (an archive's), and ones that are stored letters;
// times equal, before, after and far from each other.
const ROWS: NodeRow[] = [
  row(1, {
    type: "run",
    name: "f",
    state: "WAITING",
    ctime: 1_000,
    mtime: 1_500,
    attributes: "{}",
  }),
  row(2, {
    kind: "in-process",
    name: "inc",
    state: "FINISHED",
    ctime: 1_000,
    mtime: 2_000,
    startedAt: 1_200,
    endedAt: 2_000,
    cacheKey: key,
  }),
  row(3, {
    kind: "F",
    name: "odd",
    state: "X",
    exitCode: 3,
    ctime: 0,
    mtime: 0,
    startedAt: -5,
    endedAt: 3,
  }),
  row(4, { kind: "weird kind", name: "w", state: "FAILED", ctime: 8.64e15, mtime: -8.64e15 }),
  row(5, { type: "data", kind: "Int", ctime: 5, mtime: 5, value: "1" }),
  row(6, { type: "data", kind: "Dict", ctime: 7, mtime: 9, value: "2" }),
  row(7, { type: "data", ctime: 7, mtime: 7, value: "3" }),
];

/** A store file of schema 6 holding {@link ROWS}, the tasks CALLed by the run. */
function schemaSixFile(): string {
  const file = join(home.scratch(), "sixth.sqlite");
  const db = new Database(file);
  for (const migration of MIGRATIONS.filter((m) => m.version <= 6)) db.exec(migration.sql);
  const insert = db.prepare(
    `INSERT INTO nodes (pk, uuid, type, kind, name, state, exit_code, ctime, mtime, started_at,
       ended_at, value, attributes, cache_key, finished_line) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  for (const n of ROWS) {
    const packed = n.cacheKey === null ? null : Buffer.from(n.cacheKey.replace(":", ""), "hex");
    insert.run(
      n.pk,
      n.uuid,
      n.type,
      n.kind,
      n.name,
      n.state,
      n.exitCode,
      n.ctime,
      n.mtime,
      n.startedAt,
      n.endedAt,
      n.value,
      n.attributes,
      packed,
      n.pk === 2 ? 1 : null,
    );
  }
  const link = db.prepare("INSERT INTO links (from_pk, to_pk, type, label) VALUES (?, ?, 'c', ?)");
  link.run(1, 2, "inc");
  link.run(1, 3, "odd");
  link.run(1, 4, "w");
  db.exec("UPDATE report_order SET next = 2");
  db.pragma(`application_id = ${APPLICATION_ID}`);
  db.pragma("user_version = 6");
  db.close();
  return file;
}

/** Each node's stored type, kind, state and times, by pk. */
function storedRows(file: string): unknown[] {
  const db = new Database(file, { readonly: true });
  try {
    return db
      .prepare(
        `SELECT type, kind, typeof(kind) AS kindType, state, typeof(state) AS stateType,
           mtime, started_at AS startedAt, ended_at AS endedAt FROM nodes ORDER BY pk`,
      )
      .all();
  } finally {
    db.close();
  }
}

describe("the SQLite store's node rows (schema 7)", () => {
  it("opens a store of schema 6, rewrites its rows, and reads back the same nodes, runs, tasks and lines", () => {
    const file = schemaSixFile();
    const store = files.keep(new SqliteStore(file));
    expect(store.allNodes()).toEqual(ROWS);
    expect(store.node("node-3")).toEqual(ROWS[2]);
    expect(store.runs({ states: ["WAITING"] }).map((r) => r.pk)).toEqual([1]);
    expect(store.runs({ states: ["FINISHED", "KILLED"] })).toEqual([]);
    expect(store.tasks(1).map((t) => t.pk)).toEqual([2, 3, 4]);
    expect(store.findFinishedTask(key)?.pk).toBe(2);
    expect(store.reports(1)).toEqual([
      expect.objectContaining({ at: 2_000, message: "Task: inc, type: in-process, finished." }),
    ]);
    store.close();
    expect(storedRows(file)).toEqual([
      {
        type: "r",
        kind: null,
        kindType: "null",
        state: "W",
        stateType: "text",
        mtime: 500,
        startedAt: null,
        endedAt: null,
      },
      {
        type: "t",
        kind: "p",
        kindType: "text",
        state: "F",
        stateType: "text",
        mtime: 0,
        startedAt: 200,
        endedAt: 1_000,
      },
      {
        type: "t",
        kind: Buffer.from("F"),
        kindType: "blob",
        state: Buffer.from("X"),
        stateType: "blob",
        mtime: -3,
        startedAt: -5,
        endedAt: 3,
      },
      {
        type: "t",
        kind: "weird kind",
        kindType: "text",
        state: "X",
        stateType: "text",
        mtime: -1.728e16,
        startedAt: null,
        endedAt: null,
      },
      {
        type: "d",
        kind: "I",
        kindType: "text",
        state: null,
        stateType: "null",
        mtime: 0,
        startedAt: null,
        endedAt: null,
      },
      {
        type: "d",
        kind: "D",
        kindType: "text",
        state: null,
        stateType: "null",
        mtime: 2,
        startedAt: null,
        endedAt: null,
      },
      {
        type: "d",
        kind: null,
        kindType: "null",
        state: null,
        stateType: "null",
        mtime: 0,
        startedAt: null,
        endedAt: null,
      },
    ]);
    const reader = openReadOnly(file);
    try {
      expect(reader.allNodes()).toEqual(ROWS);
      expect(reader.runs({}).map((r) => r.pk)).toEqual([1]);
    } finally {
      reader.close();
    }
  });

  it("writes the same names and times through an archive import and through updates", () => {
    // An archive holds only names and times the engine makes.
    const file = schemaSixFile();
    const raw = new Database(file);
    raw.exec("DELETE FROM links WHERE to_pk IN (3, 4); DELETE FROM nodes WHERE pk IN (3, 4)");
    raw.close();
    const source = files.keep(new SqliteStore(file));
    const archive = join(home.scratch(), "nodes.json");
    exportArchive(archive, { store: source });
    const target = files.keep(new SqliteStore(join(home.scratch(), "imported.sqlite")));
    importArchive(archive, { store: target });
    const strip = ({ pk: _pk, ...rest }: NodeRow) => rest;
    expect(target.allNodes().map(strip)).toEqual(source.allNodes().map(strip));

    const run = target.runs({})[0]?.pk as number;
    target.updateProcess(run, { state: "FINISHED", endedAt: 4_000 });
    target.flush();
    const updated = target.node(run);
    expect(updated).toMatchObject({ state: "FINISHED", endedAt: 4_000, ctime: 1_000 });
    expect(updated?.mtime).toBeGreaterThan(Date.now() - 60_000);
    const task = target.node("node-2")?.pk as number;
    target.updateProcess(task, { state: "FAILED", startedAt: 9, exitCode: 1 });
    target.flush();
    expect(target.node(task)).toMatchObject({
      state: "FAILED",
      startedAt: 9,
      endedAt: 2_000,
      exitCode: 1,
      ctime: 1_000,
    });
  });
});

describe("the names and times a write batch carries", () => {
  it("reads back every kind, state and time written through the writer thread", () => {
    const store = files.keep(new SqliteStore(join(home.scratch(), "names.sqlite")));
    const kinds = ["Int", "Float", "Str", "Bool", "List", "Dict", "Data"] as const;
    const taskKinds = ["in-process", "job", "flow", "shell"] as const;
    const written: { pk: number; fields: Partial<NodeRow> }[] = [];
    // More rows than a batch written on the store's own thread: this one goes to the thread.
    for (let i = 0; i < 600; i++) {
      store.addNode({ type: "data", uuid: `filler-${i}`, kind: "Int", value: i, ctime: 1 });
    }
    kinds.forEach((kind, i) => {
      const uuid = i % 2 === 0 ? `0000000${i}-0000-7000-8000-000000000000` : `value-${i}`;
      const pk = store.addNode({ type: "data", uuid, kind, value: i, ctime: 100 + i });
      written.push({ pk, fields: { uuid, type: "data", kind, ctime: 100 + i, mtime: 100 + i } });
    });
    TASK_STATES.forEach((state, i) => {
      const kind = taskKinds[i % taskKinds.length] as (typeof taskKinds)[number];
      const uuid = `0000001${i}-0000-7000-8000-000000000000`;
      const attributes = { n: i };
      const pk = store.addNode({
        type: "task",
        uuid,
        name: `t${i}`,
        kind,
        state,
        ctime: 1_000,
        attributes,
      });
      store.updateProcess(pk, { startedAt: 1_000 + i, endedAt: 2_000 + i, exitCode: i });
      written.push({
        pk,
        fields: {
          uuid,
          type: "task",
          kind,
          name: `t${i}`,
          state,
          ctime: 1_000,
          startedAt: 1_000 + i,
          endedAt: 2_000 + i,
          exitCode: i,
        },
      });
    });
    RUN_STATES.forEach((state, i) => {
      const uuid = `run-${i}`;
      const pk = store.addNode({
        type: "run",
        uuid,
        name: `r${i}`,
        state,
        ctime: 3_000,
        attributes: {},
      });
      written.push({ pk, fields: { uuid, type: "run", name: `r${i}`, state, ctime: 3_000 } });
    });
    store.flush();
    for (const { pk, fields } of written) {
      const { mtime, ...rest } = fields;
      const stored = store.node(pk);
      expect(stored).toMatchObject(rest);
      if (mtime !== undefined) expect(stored?.mtime).toBe(mtime);
    }
  });
});
