import { join } from "node:path";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { MemoryStore, run, task } from "../../engine/index.js";
import { reportLine } from "../../engine/model/report-line.js";
import { isFinishedLine } from "../../engine/store/sqlite/finished-lines.js";
import { MIGRATIONS, APPLICATION_ID } from "../../engine/store/sqlite/schema.js";
import { SqliteStore } from "../../engine/store/sqlite/sqlite-store.js";
import { useStoreFiles } from "../support/store-files.js";
import { useTempHome } from "../support/temp-home.js";

const home = useTempHome();
const files = useStoreFiles(home);
const openStore = files.open;

/** How many rows the file's `reports` table holds. */
function reportRows(file: string): number {
  const db = new Database(file, { readonly: true });
  try {
    return db.prepare<[], number>("SELECT count(*) FROM reports").pluck().get() as number;
  } finally {
    db.close();
  }
}

const inc = task(function inc(x: number) {
  return x + 1;
});
const fails = task(function fails(x: number) {
  if (x === 2) throw new Error("two");
  return x;
});

async function fanOut() {
  const parts = [];
  for (let i = 0; i < 50; i++) parts.push(inc(i).result);
  fails(2); // fails unused: a WARNING line at the end
  return { first: parts[0] };
}

const line = (runPk: number, message: string, at: number) =>
  reportLine(runPk, "update_task_state", message, "REPORT", at);

/** A run that CALLs one task `t1` (kind in-process), both queued. */
function runWithTask(store: SqliteStore): { runPk: number; taskPk: number } {
  const runPk = store.addNode({
    type: "run",
    uuid: crypto.randomUUID(),
    name: "f",
    state: "RUNNING",
    ctime: 1,
    attributes: {},
  });
  const taskPk = store.addNode({
    type: "task",
    uuid: crypto.randomUUID(),
    name: "t1",
    kind: "in-process",
    state: "PLANNED",
    ctime: 1,
    attributes: {},
  });
  store.addLink({ from: runPk, to: taskPk, type: "CALL", label: "t1" });
  return { runPk, taskPk };
}

describe("a task's finished line kept on its node", () => {
  it("reads back every line of a run, in order, as the run wrote them", async () => {
    const { store, file } = openStore("fan-out.sqlite");
    const handle = run(fanOut, {}, { store, log: false });
    await handle;
    const written = handle.reports;
    expect(written.filter((l) => l.message.endsWith(", finished."))).toHaveLength(50);
    expect(store.reports(handle.pk)).toEqual(written);
    expect(store.counts().reports).toBe(written.length);
    expect(store.reportCounts(handle.pk).size).toBeGreaterThan(0);
    // the 50 finished lines are not rows; the failure and the run's own lines are
    store.checkpoint();
    expect(reportRows(file)).toBe(written.length - 50);

    // the same lines as a store that keeps every line
    const memory = new MemoryStore();
    const other = run(fanOut, {}, { store: memory, log: false });
    await other;
    expect(store.reports(handle.pk).map((l) => l.message)).toEqual(
      memory.reports(other.pk).map((l) => l.message),
    );
  });

  it("keeps as rows the lines a node does not give back as they were", () => {
    const { store } = openStore("rows.sqlite");
    const { runPk, taskPk } = runWithTask(store);
    store.updateProcess(taskPk, { state: "FINISHED", endedAt: 10 });
    const lines = [
      line(runPk, "Task: t1, type: in-process, finished.", 11), // another time
      line(runPk, "Task: t1, type: in-process, finished (reused).", 10), // another message
      { ...line(runPk, "Task: t1, type: in-process, finished.", 10), text: "custom" },
      line(runPk, "Task: t1, type: in-process, finished.", 10), // kept on the node
      line(runPk, "Task: t1, type: in-process, finished.", 10), // a second one: a row
    ];
    for (const l of lines) store.addReport(runPk, l, taskPk);
    store.flush();
    expect(store.reports(runPk)).toEqual(lines);
  });

  it("knows a task's finished line only when the row gives back its very message", () => {
    const row = { type: "task", name: "add12", kind: "in-process", endedAt: 10 };
    const finished = (message: string) =>
      isFinishedLine(row, reportLine(1, "update_task_state", message, "REPORT", 10));
    expect(finished("Task: add12, type: in-process, finished.")).toBe(true);
    for (const message of [
      "Task: add1, type: in-process, finished.",
      "Task: add123, type: in-process, finished.",
      "Task: add12, type: in-proces, finished.",
      "Task: add12, type: in-process, finished!",
      "Task: add12, type: in-process, finished. ",
      "task: add12, type: in-process, finished.",
      "Task: add12; type: in-process, finished.",
      "Task: add12, type: in-process, finishes.",
    ]) {
      expect(finished(message)).toBe(false);
    }
    const unnamed = { ...row, name: null };
    const line = reportLine(1, "update_task_state", "Task: null, type: in-process, finished.");
    expect(isFinishedLine(unnamed, { ...line, at: 10 })).toBe(false);
  });

  it("a task that ends again keeps its first line with the time it had", () => {
    const { store } = openStore("again.sqlite");
    const { runPk, taskPk } = runWithTask(store);
    store.updateProcess(taskPk, { state: "FINISHED", endedAt: 10 });
    const first = line(runPk, "Task: t1, type: in-process, finished.", 10);
    store.addReport(runPk, first, taskPk);
    // still queued: the row's end changes before it is written
    store.updateProcess(taskPk, { state: "RUNNING", startedAt: 11 });
    store.updateProcess(taskPk, { state: "FINISHED", endedAt: 12 });
    const second = line(runPk, "Task: t1, type: in-process, finished.", 12);
    store.addReport(runPk, second, taskPk);
    store.flush();
    expect(store.reports(runPk)).toEqual([first, second]);
    // stored: the end changes on the row in the file
    store.updateProcess(taskPk, { state: "FINISHED", endedAt: 13 });
    const between = line(runPk, "between", 13);
    store.addReport(runPk, between);
    store.flush();
    expect(store.reports(runPk)).toEqual([first, second, between]);
    expect(store.counts().reports).toBe(3);
  });

  it("orders the lines of a store of the previous schema before the ones written after", () => {
    const file = join(home.scratch(), "second.sqlite");
    const db = new Database(file);
    for (const migration of MIGRATIONS.slice(0, 2)) db.exec(migration.sql); // schema 2
    db.prepare(
      "INSERT INTO nodes (pk, uuid, type, name, state, ctime, mtime, attributes) VALUES (1, 'r', 'run', 'f', 'RUNNING', 1, 1, '{}')",
    ).run();
    const old = [line(1, "one", 1), line(1, "two", 2)];
    const insert = db.prepare(
      "INSERT INTO reports (run_pk, at, level, step, message, text) VALUES (?, ?, ?, ?, ?, NULL)",
    );
    for (const l of old) insert.run(1, l.at, l.level, l.step, l.message);
    db.pragma(`application_id = ${APPLICATION_ID}`);
    db.pragma("user_version = 2");
    db.close();

    const store = new SqliteStore(file);
    files.keep(store);
    const taskPk = store.addNode({
      type: "task",
      uuid: crypto.randomUUID(),
      name: "t1",
      kind: "in-process",
      state: "FINISHED",
      ctime: 3,
      attributes: {},
    });
    store.addLink({ from: 1, to: taskPk, type: "CALL", label: "t1" });
    store.updateProcess(taskPk, { endedAt: 3 });
    const finished = line(1, "Task: t1, type: in-process, finished.", 3);
    store.addReport(1, finished, taskPk);
    store.flush();
    expect(store.reports(1)).toEqual([...old, finished]);
    expect(reportRows(file)).toBe(2);
  });

  it("stores the attributes every call of a task shares once, and reads them back", async () => {
    const { store, file } = openStore("shared.sqlite");
    const handle = run(fanOut, {}, { store, log: false });
    await handle;
    const tasks = store.tasks(handle.pk).filter((t) => t.name !== "inc" && t.name !== "fails");
    expect(tasks).toHaveLength(49);
    for (const t of tasks) expect(JSON.parse(t.attributes ?? "")).toHaveProperty("function", "inc");
    store.checkpoint();
    const db = new Database(file, { readonly: true });
    try {
      const shared = db
        .prepare<[], number>("SELECT count(*) FROM nodes WHERE typeof(attributes) = 'blob'")
        .pluck()
        .get();
      expect(shared).toBe(49);
      expect(db.prepare("SELECT count(*) FROM attribute_texts").pluck().get()).toBe(1);
    } finally {
      db.close();
    }
  });
});
