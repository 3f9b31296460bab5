import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";
import { rootCause, run, task } from "../../engine/index.js";
import { SqliteStore } from "../../engine/store/sqlite/sqlite-store.js";
import { useTempHome } from "../support/temp-home.js";

const home = useTempHome();
const stores: SqliteStore[] = [];
afterAll(() => stores.forEach((store) => store.close()));

const TASKS = 100_000;

let adds = 0;
let sums = 0;
let broken = true;
const add = task(function add(x: number, y: number) {
  adds++;
  return x + y;
});
const sum = task(function sum(values: number[]) {
  sums++;
  if (broken) throw new Error("sum is broken");
  return values.reduce((a, b) => a + b, 0);
});

async function fanOut(n: number) {
  const parts = [];
  for (let i = 0; i < n; i++) parts.push(add(i, 1).result);
  return { total: sum(parts).result };
}

const finishedLine = /^Task: add\d*, type: in-process, finished/;

describe(`a run of ${TASKS.toLocaleString("en")} tasks in SQLite`, () => {
  it("stores every node, link and report line, and resumes with only the failed call", async () => {
    const file = join(home.scratch(), "large.sqlite");
    const store = new SqliteStore(file);
    stores.push(store);
    const first = run(fanOut, { n: TASKS }, { store, log: false });
    const error = await first.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect((rootCause(error) as Error).message).toBe("sum is broken");
    expect([adds, sums]).toEqual([TASKS, 1]);
    store.close();
    // The run's first turn queued more rows than the store holds before handing them to
    // SQLite: the rows of tasks not yet ended waited for their end, so each add's row went in
    // once, finished, holding its finished line (no UPDATE, no line row).
    const raw = new Database(file, { readonly: true });
    const kept = raw.prepare("SELECT count(*) FROM nodes WHERE finished_line IS NOT NULL");
    expect(kept.pluck().get()).toBe(TASKS);
    raw.close();

    // Read back by another connection, as another process would.
    const reader = new SqliteStore(file);
    stores.push(reader);
    const tasks = reader.tasks(first.pk);
    expect(tasks).toHaveLength(TASKS + 1);
    expect(tasks.filter((t) => t.state === "FINISHED")).toHaveLength(TASKS);
    expect(tasks.at(-1)).toMatchObject({ name: "sum", state: "FAILED" });
    // Nodes: the run and its input n, its tasks, one input node per value of i (1 among
    // them, shared by every call as y) and a result per add; the sum failed: no result.
    expect(reader.counts().nodes).toBe(2 + (TASKS + 1) + TASKS + TASKS);
    // Links: each add is called, gets x and y and creates its result; the sum is called and
    // gets every result; the flow's n is the run's input.
    expect(reader.counts().links).toBe(1 + TASKS * 4 + 1 + TASKS);
    const lines = reader.reports(first.pk);
    expect(reader.counts().reports).toBe(lines.length);
    expect(lines.filter((l) => finishedLine.test(l.message))).toHaveLength(TASKS);
    const last = tasks[TASKS - 1];
    const inputs = reader.links({ to: last?.pk ?? 0, type: "INPUT" });
    expect(inputs.map((l) => l.label)).toEqual(["x", "y"]);
    expect(inputs.map((l) => reader.node(l.from)?.value)).toEqual([String(TASKS - 1), "1"]);
    const created = reader.links({ from: last?.pk ?? 0, type: "CREATE" });
    expect(created.map((l) => reader.node(l.to)?.value)).toEqual([String(TASKS)]);

    // Resumed: every add is taken over from the stored run, only the sum runs again.
    broken = false;
    adds = sums = 0;
    const resumed = run(fanOut, { n: TASKS }, { store: reader, log: false, resume: first.pk });
    const results = await resumed;
    expect(results.total.value).toBe((TASKS * (TASKS - 1)) / 2 + TASKS);
    expect([adds, sums]).toEqual([0, 1]);
    const again = reader.tasks(resumed.pk);
    expect(again).toHaveLength(TASKS + 1);
    expect(again.every((t) => t.state === "FINISHED")).toBe(true);
    const reused = again.slice(0, TASKS).map((t) => JSON.parse(t.attributes ?? "{}") as object);
    expect(reused.every((a) => (a as { reuse?: string }).reuse === "resume")).toBe(true);
  }, 600_000);
});
