import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { setImmediate as nextTurn } from "node:timers/promises";
import Database from "better-sqlite3";
import { afterEach, describe, expect, it, vi } from "vitest";
import { reportLine } from "../../engine/model/report-line.js";
import { parseCanonicalJson } from "../../engine/store/canonical-json.js";
import { SqliteStore } from "../../engine/store/sqlite/sqlite-store.js";
import { NodeNotFoundError, StoreWriteError } from "../../engine/store/store-errors.js";
import { root } from "../support/built.js";
import { useTempHome } from "../support/temp-home.js";

const home = useTempHome();
const open: SqliteStore[] = [];
afterEach(() => {
  for (const store of open.splice(0)) store.close();
});

function openStore(file: string): SqliteStore {
  const store = new SqliteStore(file);
  open.push(store);
  return store;
}

function data(store: SqliteStore, value: unknown): number {
  return store.addNode({
    type: "data",
    uuid: crypto.randomUUID(),
    kind: "Data",
    value,
    ctime: Date.now(),
  });
}

function addRun(store: SqliteStore, name = "flow"): number {
  return store.addNode({
    type: "run",
    uuid: crypto.randomUUID(),
    name,
    state: "CREATED",
    ctime: Date.now(),
    attributes: {},
  });
}

function addTask(store: SqliteStore, runPk: number, name: string, attributes = {}): number {
  const pk = store.addNode({
    type: "task",
    uuid: crypto.randomUUID(),
    name,
    kind: "in-process",
    state: "PLANNED",
    ctime: Date.now(),
    attributes,
  });
  store.addLink({ from: runPk, to: pk, type: "CALL", label: name });
  return pk;
}

describe("SqliteStore writes", () => {
  it("hands out dense pks at once, and reads see the writes not yet committed", () => {
    const store = openStore(":memory:");
    const run = addRun(store);
    expect([run, data(store, 1), data(store, 2)]).toEqual([1, 2, 3]);
    store.addLink({ from: 2, to: run, type: "INPUT", label: "x" });
    expect(store.node(2)?.value).toBe("1");
    expect(store.links({ to: run })).toEqual([{ from: 2, to: 1, type: "INPUT", label: "x" }]);
    expect(store.counts()).toEqual({ nodes: 3, links: 1, reports: 0 });
  });

  it("hands out no pk twice across turns whose rows still wait for their commit (:memory:)", async () => {
    const store = openStore(":memory:");
    const pks: number[] = [];
    for (let turn = 0; turn < 5; turn++) {
      // the rows of earlier turns may still wait in the commit window
      pks.push(data(store, turn), data(store, -turn));
      await nextTurn();
    }
    expect(pks).toEqual(pks.map((_, i) => i + 1));
    store.flush();
    expect(store.counts().nodes).toBe(10);
  });

  it("groups a turn's writes into one transaction, committed on the next turn (on its own thread)", async () => {
    const file = join(home.scratch(), "grouped.sqlite");
    const writer = new SqliteStore(file, { writerThread: false });
    open.push(writer);
    const reader = openStore(file);
    addRun(writer);
    data(writer, 7);
    expect(reader.counts().nodes).toBe(0);
    await nextTurn();
    expect(reader.counts().nodes).toBe(2);
    data(writer, 8);
    writer.flush();
    expect(reader.counts().nodes).toBe(3);
  });

  it("commits a turn's writes after the turn's end, unasked (a file store)", async () => {
    const file = join(home.scratch(), "grouped-thread.sqlite");
    const writer = openStore(file);
    const reader = openStore(file);
    addRun(writer);
    data(writer, 7);
    expect(reader.counts().nodes).toBe(0);
    await nextTurn();
    await vi.waitFor(() => expect(reader.counts().nodes).toBe(2));
    data(writer, 8);
    writer.flush();
    expect(reader.counts().nodes).toBe(3);
  });

  it("takes the write lock only to commit: turns in the commit window queue while another connection holds it", async () => {
    const file = join(home.scratch(), "window.sqlite");
    const writer = new SqliteStore(file, { commitWindowMs: 60_000 });
    open.push(writer);
    const run = addRun(writer);
    // a lone write commits at its turn's end; the next ones wait for the window
    await nextTurn();
    const other = new Database(file);
    other.prepare("BEGIN IMMEDIATE").run();
    const values: number[] = [];
    try {
      for (let turn = 0; turn < 3; turn++) {
        values.push(data(writer, turn));
        // checks a stored row while the lock is held elsewhere
        writer.updateProcess(run, { state: "RUNNING" });
        await nextTurn();
      }
      expect(writer.waiting).toBe(false);
    } finally {
      other.prepare("ROLLBACK").run();
      other.close();
    }
    expect(values).toEqual([run + 1, run + 2, run + 3]);
    const reader = openStore(file);
    expect(reader.counts().nodes).toBe(1);
    writer.flush();
    expect(reader.counts().nodes).toBe(4);
    expect(reader.node(run)?.state).toBe("RUNNING");
  });

  it("folds a task's updates into its row, and merges attributes on stored rows", async () => {
    const store = openStore(":memory:");
    const run = addRun(store);
    const task = addTask(store, run, "add", { function: "add" });
    store.updateProcess(task, { state: "RUNNING", startedAt: 10 });
    store.updateProcess(task, {
      state: "FAILED",
      endedAt: 20,
      error: { name: "Error", message: "no" },
    });
    await nextTurn();
    store.updateProcess(task, { attributes: { retries: 2 } });
    const row = store.node(task);
    expect(row).toMatchObject({ state: "FAILED", startedAt: 10, endedAt: 20, type: "task" });
    expect(parseCanonicalJson(row?.attributes ?? "")).toEqual({
      function: "add",
      retries: 2,
      error: { name: "Error", message: "no" },
    });
  });

  it("keeps the cache key in an indexed column and finds FINISHED tasks by it", async () => {
    const store = openStore(":memory:");
    const run = addRun(store);
    const failed = addTask(store, run, "add", { cacheKey: "code:input" });
    store.updateProcess(failed, { state: "FAILED" });
    expect(store.findFinishedTask("code:input")).toBeUndefined();
    const done = addTask(store, run, "add1");
    store.updateProcess(done, { attributes: { cacheKey: "code:input" } });
    store.updateProcess(done, { state: "FINISHED" });
    await nextTurn();
    expect(store.findFinishedTask("code:input")?.pk).toBe(done);
    expect(store.tasks(run).map((t) => [t.name, t.state, t.cacheKey])).toEqual([
      ["add", "FAILED", "code:input"],
      ["add1", "FINISHED", "code:input"],
    ]);
  });

  it("rebuilds the report text it did not store, and keeps any other text", () => {
    const store = openStore(":memory:");
    const run = addRun(store);
    const standard = reportLine(run, "finalize", "Finalize flow.");
    const custom = {
      ...reportLine(run, "on_kill", "stopped"),
      text: "something else entirely: stopped",
    };
    store.addReport(run, standard);
    store.addReport(run, custom);
    expect(store.reports(run)).toEqual([standard, custom]);
  });

  it("stores values JSON cannot hold without crashing", () => {
    const store = openStore(":memory:");
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    for (const value of [10n, new Map([[1, 2]]), cyclic, () => 1, undefined]) {
      const pk = data(store, value);
      expect(typeof store.node(pk)?.value).toBe("string");
    }
    expect(parseCanonicalJson(store.node(1)?.value ?? "")).toBe(10n);
  });

  it("refuses links, reports and updates of nodes that do not exist", () => {
    const store = openStore(":memory:");
    const run = addRun(store);
    const value = data(store, 1);
    expect(() => store.addLink({ from: value, to: 99, type: "INPUT", label: "x" })).toThrow(
      NodeNotFoundError,
    );
    expect(() => store.addReport(42, reportLine(42, "s", "m"))).toThrow(NodeNotFoundError);
    expect(() => store.updateProcess(value, { state: "RUNNING" })).toThrow(NodeNotFoundError);
    store.flush();
    expect(() => store.updateProcess(77, { state: "RUNNING" })).toThrow(NodeNotFoundError);
    expect(store.counts()).toEqual({ nodes: 2, links: 0, reports: 0 });
    expect(store.node(run)?.state).toBe("CREATED");
  });

  it("tells the runs and the next flush when its writer thread could not write a batch, and writes on", () => {
    const store = openStore(join(home.scratch(), "refused.sqlite"));
    const heard: Error[] = [];
    store.onUnavailable((error) => heard.push(error));
    const uuid = crypto.randomUUID();
    const node = { type: "data", uuid, kind: "Int", value: 1, ctime: 0 } as const;
    store.addNode(node);
    store.flush();
    // The same uuid again: the writer thread refuses the batch (UNIQUE: uuid-index.ts).
    store.addNode(node);
    data(store, 2);
    expect(() => store.flush()).toThrow(StoreWriteError);
    expect(heard).toHaveLength(1);
    expect(heard[0]?.message).toMatch(/UNIQUE/);
    // The refused batch is dropped whole; later writes go in.
    data(store, 3);
    store.flush();
    expect(store.counts().nodes).toBe(2);
  });

  it("commits the last turn's writes when the process exits in that turn", () => {
    const file = join(home.scratch(), "exit.sqlite");
    const script = `
      import { SqliteStore } from ${JSON.stringify(join(root, "engine/store/sqlite/sqlite-store.js"))};
      const store = new SqliteStore(${JSON.stringify(file)});
      store.addNode({ type: "data", uuid: crypto.randomUUID(), kind: "Int", value: 1, ctime: 0 });
      process.exit(0);`;
    execFileSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], {
      cwd: root,
    });
    expect(openStore(file).counts().nodes).toBe(1);
  });

  it("commits pending writes when closed, and reopens with them", () => {
    const file = join(home.scratch(), "reopen.sqlite");
    const store = new SqliteStore(file);
    const run = addRun(store, "kept");
    store.close();
    const again = openStore(file);
    expect(again.node(run)?.name).toBe("kept");
  });
});
