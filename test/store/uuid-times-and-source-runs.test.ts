/**
 * Schema 10: a node's `ctime` stored after its uuid's time, a finished line's place after its
 * task's pk, and a task's long list of sources kept as runs; reads give back the very values.
 */
import { join } from "node:path";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { run, task } from "../../engine/index.js";
import { nodeUuid } from "../../engine/model/node-uuid.js";
import { reportLine } from "../../engine/model/report-line.js";
import { exportArchive } from "../../engine/store/archive/export-archive.js";
import { importArchive } from "../../engine/store/archive/import-archive.js";
import { attributesText } from "../../engine/store/sqlite/attributes-text.js";
import { openReadOnly } from "../../engine/store/sqlite/read-only.js";
import { APPLICATION_ID, MIGRATIONS } from "../../engine/store/sqlite/schema.js";
import { SqliteStore } from "../../engine/store/sqlite/sqlite-store.js";
import { storedRunGraph } from "../../engine/store/queries/stored-run-graph.js";
import { useStoreFiles } from "../support/store-files.js";
import { useTempHome } from "../support/temp-home.js";

const home = useTempHome();
const files = useStoreFiles(home);
const openStore = files.open;

/** The stored values of one column of the file's node rows, by pk. */
function storedColumn(file: string, column: string): unknown[] {
  const db = new Database(file, { readonly: true });
  try {
    return db.prepare(`SELECT ${column} FROM nodes ORDER BY pk`).pluck().all();
  } finally {
    db.close();
  }
}

/** The ms time a version 7 uuid holds. */
const uuidTime = (uuid: string) => parseInt(uuid.replaceAll("-", "").slice(0, 12), 16);

/** `count` sources of inputs `values[first…]` from tasks `task, task + step, …`. */
function sourceRun(first: number, count: number, task: number, step: number) {
  return Array.from({ length: count }, (_, i) => ({
    input: `values[${first + i}]`,
    socket: "result",
    task: task + step * i,
  }));
}

describe("the stored forms of schema 10", () => {
  it("stores a node's ctime after its uuid's time and reads back every time", () => {
    const { store, file } = openStore("times.sqlite");
    const engineUuid = nodeUuid();
    const at = uuidTime(engineUuid);
    const runPk = store.addNode({
      type: "run",
      uuid: nodeUuid(),
      name: "f",
      state: "RUNNING",
      ctime: at + 1,
      attributes: {},
    });
    const same = store.addNode({
      type: "data",
      uuid: engineUuid,
      kind: "Int",
      value: 1,
      ctime: at,
    });
    const later = store.addNode({
      type: "data",
      uuid: nodeUuid(),
      kind: "Int",
      value: 2,
      ctime: at + 7,
    });
    const random = "f1e2d3c4-b5a6-4978-8695-a4b3c2d1e0f9";
    const other = store.addNode({ type: "data", uuid: random, kind: "Int", value: 3, ctime: 5 });
    const text = store.addNode({
      type: "data",
      uuid: "imported:1",
      kind: "Int",
      value: 4,
      ctime: 9,
    });
    const taskPk = store.addNode({
      type: "task",
      uuid: nodeUuid(),
      name: "t1",
      kind: "in-process",
      state: "PLANNED",
      ctime: at + 2,
      attributes: {},
    });
    store.addLink({ from: runPk, to: taskPk, type: "CALL", label: "t1" });
    store.flush();
    // changes to rows already in the file are stored after the same ctime
    store.updateProcess(taskPk, { state: "RUNNING", startedAt: at + 10 });
    store.flush();
    store.updateProcess(taskPk, { state: "FINISHED", endedAt: at + 20 });
    store.flush();

    const times = (pk: number) => {
      const n = store.node(pk)!;
      return [n.ctime, n.startedAt, n.endedAt];
    };
    expect(times(runPk)).toEqual([at + 1, null, null]);
    expect(times(same)).toEqual([at, null, null]);
    expect(times(later)).toEqual([at + 7, null, null]);
    expect(times(other)).toEqual([5, null, null]);
    expect(times(text)).toEqual([9, null, null]);
    expect(times(taskPk)).toEqual([at + 2, at + 10, at + 20]);
    // a data node's mtime is its ctime
    expect([same, later, other, text].map((pk) => store.node(pk)?.mtime)).toEqual([
      at,
      at + 7,
      5,
      9,
    ]);
    expect(store.runs({ since: at + 1 }).map((r) => r.pk)).toEqual([runPk]);
    expect(store.runs({ since: at + 2 })).toEqual([]);

    const stored = storedColumn(file, "ctime");
    expect(stored[runPk - 1]).toBe(at + 1); // a run's is its time: runs are found by it
    expect(stored[same - 1]).toBe(0);
    expect(stored[later - 1]).toBe(7 + at - uuidTime(store.node(later)!.uuid));
    expect(stored[other - 1]).toBe(5 - uuidTime(random));
    expect(stored[text - 1]).toBe(9);

    // a row another writer wrote: its time found from the uuid, in SQL
    store.close();
    const again = new SqliteStore(file);
    files.keep(again);
    again.updateProcess(taskPk, { state: "FAILED", startedAt: at + 30, endedAt: at + 40 });
    again.flush();
    const { ctime, startedAt, endedAt, state } = again.node(taskPk)!;
    expect([ctime, startedAt, endedAt, state]).toEqual([at + 2, at + 30, at + 40, "FAILED"]);
  });

  it("keeps a task's long list of sources as runs and reads back the very text", () => {
    const { store, file } = openStore("sources.sqlite");
    const sources = [
      ...sourceRun(0, 20, 3, 1),
      { input: "x", socket: "result", task: 90 },
      ...sourceRun(20, 5, 100, 2),
      ...sourceRun(30, 3, 7, -1),
      { input: 'odd "[1]', socket: "out\n", task: 2 },
      ...sourceRun(40, 4, 50, 0),
    ];
    const attributes = { function: "sum", sources, timeout: 5, zeta: { sources: [] } };
    const short = { function: "sum", sources: sourceRun(0, 15, 3, 1) };
    const unusual = { function: "sum", sources: [...sourceRun(0, 20, 3, 1), { input: "y" }] };
    const pks = [attributes, short, unusual].map((attrs, i) =>
      store.addNode({
        type: "task",
        uuid: nodeUuid(),
        name: `sum${i}`,
        kind: "in-process",
        state: "PLANNED",
        ctime: 1,
        attributes: attrs,
      }),
    );
    store.flush();
    const [long, few, other] = pks as [number, number, number];
    expect(store.node(long)?.attributes).toBe(attributesText(attributes));
    expect(store.node(few)?.attributes).toBe(attributesText(short));
    expect(store.node(other)?.attributes).toBe(attributesText(unusual));
    const kinds = storedColumn(file, "typeof(attributes)");
    expect(kinds).toEqual(["blob", "text", "text"]);
    const first = storedColumn(file, "hex(substr(attributes, 1, 1))");
    expect(first[0]).toBe("00");

    // a change to the row's attributes keeps the rest, sources as runs again
    store.updateProcess(long, { state: "FAILED", endedAt: 2, attributes: { retries: 2 } });
    store.flush();
    const changed = { ...attributes, retries: 2 };
    expect(store.node(long)?.attributes).toBe(attributesText(changed));
    expect(storedColumn(file, "typeof(attributes)")[0]).toBe("blob");

    // an archive holds the text, and an import gives it back
    const archive = join(home.scratch(), "sources.wgarchive");
    exportArchive(archive, { store });
    const into = openStore("into.sqlite").store;
    importArchive(archive, { store: into });
    const byName = (s: SqliteStore) =>
      s.allNodes().map(({ name, attributes: text }) => [name, text]);
    expect(byName(into)).toEqual(byName(store));
    const reader = openReadOnly(file);
    try {
      expect(reader.node(long)?.attributes).toBe(attributesText(changed));
    } finally {
      reader.close();
    }
  });

  it("gives a fan-in's stored graph its edges from sources kept as runs", async () => {
    let release: () => void = () => {};
    const released = new Promise<void>((resolve) => (release = resolve));
    const part = task(async function part(i: number) {
      await released;
      return i;
    });
    const total = task(function total(values: number[]) {
      return values.reduce((a, b) => a + b, 0);
    });
    const N = 40;
    async function fanIn() {
      const parts = [];
      for (let i = 0; i < N; i++) parts.push(part(i).result);
      return { total: total(parts).result };
    }
    const { store, file } = openStore("fan-in.sqlite");
    const flow = run(fanIn, {}, { log: false, store });
    await expect.poll(() => flow.graph().tasks[0]?.state).toBe("RUNNING");
    store.flush();
    const edges = Array.from({ length: N }, (_, i) => ({
      from: i,
      to: N,
      socket: "result",
      input: `values[${i}]`,
    }));
    expect(storedRunGraph(store, flow.pk)?.edges).toEqual(edges);
    release();
    const results = (await flow) as { total: { value: number } };
    expect(results.total.value).toBe((N * (N - 1)) / 2);
    store.flush();
    expect(storedRunGraph(store, flow.pk)?.edges).toEqual(edges);
    const runs = storedColumn(file, "typeof(attributes) = 'blob' AND attributes < x'01'");
    expect(runs.filter((isRuns) => isRuns === 1).length).toBe(1);
  });

  it("opens a store of schema 9 and rewrites its times and lines' places, reading back the same", () => {
    const file = join(home.scratch(), "ninth.sqlite");
    const db = new Database(file);
    for (const migration of MIGRATIONS.filter((m) => m.version <= 9)) db.exec(migration.sql);
    const runUuid = nodeUuid();
    const taskUuid = nodeUuid();
    const at = uuidTime(taskUuid);
    const packed = (uuid: string) => Buffer.from(uuid.replaceAll("-", ""), "hex");
    const node = db.prepare(
      `INSERT INTO nodes (pk, uuid, type, kind, name, state, ctime, mtime, started_at, ended_at, finished_line)
         VALUES (?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?)`,
    );
    node.run(1, packed(runUuid), "r", null, "f", "F", at - 1, 0, 30, null);
    node.run(7, packed(taskUuid), "t", "p", "t1", "F", at + 3, 4, 5, 2);
    node.run(8, "imported:1", "t", "p", "t2", "F", 60, 4, 5, null);
    db.prepare("INSERT INTO links (from_pk, to_pk, type, label) VALUES (1, 7, 'c', '')").run();
    db.prepare("INSERT INTO links (from_pk, to_pk, type, label) VALUES (1, 8, 'c', '')").run();
    const report = db.prepare(
      "INSERT INTO reports (rowid, run_pk, at, level, step, message) VALUES (?, 1, ?, 'REPORT', 'run', ?)",
    );
    report.run(1, at, "first");
    report.run(3, at + 9, "third");
    db.exec("UPDATE report_order SET next = 4");
    db.pragma(`application_id = ${APPLICATION_ID}`);
    db.pragma("user_version = 9");
    db.close();

    const store = new SqliteStore(file);
    files.keep(store);
    const times = store.allNodes().map((n) => [n.pk, n.ctime, n.startedAt, n.endedAt, n.mtime]);
    expect(times).toEqual([
      [1, at - 1, at - 1, at + 29, at + 29],
      [7, at + 3, at + 7, at + 8, at + 8],
      [8, 60, 64, 65, 65],
    ]);
    const finished = reportLine(1, "update_task_state", "Task: t1, type: in-process, finished.");
    expect(store.reports(1).map((l) => [l.at, l.message])).toEqual([
      [at, "first"],
      [at + 8, finished.message],
      [at + 9, "third"],
    ]);
    expect(storedColumn(file, "finished_line")).toEqual([null, -5, null]);
    expect(storedColumn(file, "ctime")).toEqual([at - 1, 3, 60]);
  });
});
