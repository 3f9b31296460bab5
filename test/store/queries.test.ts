import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DataNode, MemoryStore, run, task } from "../../engine/index.js";
import { ProcessNode } from "../../engine/store/queries/process-node.js";
import { orm } from "../../engine/store/queries/orm-load.js";
import { queryRuns } from "../../engine/store/queries/query-runs.js";
import { SqliteStore } from "../../engine/store/sqlite/sqlite-store.js";
import { NodeNotFoundError } from "../../engine/store/store-errors.js";
import { storeBackends } from "../support/store-backends.js";
import { useTempHome } from "../support/temp-home.js";

useTempHome();
const { postgresql } = storeBackends();

const add = task(function add(x: number, y: number) {
  return x + y;
});
const explode = task(function explode(x: number) {
  throw new RangeError(`cannot take ${x}`);
});

async function add_multiply(x: number, y: number) {
  const a = add(x, y);
  const b = add(a.result, 1);
  return { sum: a.result, next: b.result };
}

async function failing(x: number) {
  return { out: explode(x).result };
}

describe.each([
  ["SqliteStore", () => new SqliteStore(":memory:")],
  ["PostgresStore", () => postgresql.open()],
  ["MemoryStore", () => new MemoryStore()],
] as const)("queries over a %s", (_, makeStore) => {
  const store = makeStore();
  let first: number;
  let second: number;
  let failed: number;
  const start = Date.now();

  beforeAll(async () => {
    const a = run(add_multiply, { x: 3, y: 4 }, { store, log: false });
    await a;
    const b = run(add_multiply, { x: 1, y: 1 }, { store, log: false, name: "again" });
    await b;
    const c = run(failing, { x: 5 }, { store, log: false });
    await c.done;
    [first, second, failed] = [a.pk, b.pk, c.pk];
  });
  afterAll(() => (store instanceof MemoryStore ? undefined : store.close()));

  it("orm.load gives data nodes with their value, uuid and pk", () => {
    const run = orm.load(first, { store }) as ProcessNode;
    const sum = run.outputs().find((o) => o.label === "sum")?.node as DataNode;
    expect(sum).toBeInstanceOf(DataNode);
    const loaded = orm.load(sum.pk ?? 0, { store }) as DataNode;
    expect([loaded.kind, loaded.value, loaded.uuid, loaded.pk]).toEqual([
      "Int",
      7,
      sum.uuid,
      sum.pk,
    ]);
    expect((orm.load(sum.uuid, { store }) as DataNode).pk).toBe(sum.pk);
    expect((orm.load(String(sum.pk), { store }) as DataNode).uuid).toBe(sum.uuid);
    expect(loaded.describe()).toBe(`<Int: uuid: ${sum.uuid} (pk: ${sum.pk}) value: 7>`);
    expect(Number(loaded) + 1).toBe(8);
  });

  it("orm.load gives a read-only view of runs and tasks", () => {
    const run = orm.load(first, { store }) as ProcessNode;
    expect(run).toBeInstanceOf(ProcessNode);
    expect(run).toMatchObject({
      type: "run",
      name: "add_multiply",
      state: "FINISHED",
      exitCode: 0,
    });
    expect(run.inputs().map((i) => [i.label, i.type, (i.node as DataNode).value])).toEqual([
      ["x", "INPUT", 3],
      ["y", "INPUT", 4],
    ]);
    expect(run.outputs().map((o) => [o.label, o.type, (o.node as DataNode).value])).toEqual([
      ["sum", "RETURN", 7],
      ["next", "RETURN", 8],
    ]);
    const [add1, add2] = run.tasks();
    expect([add1?.name, add2?.name, run.taskCount()]).toEqual(["add", "add1", 2]);
    expect(
      add2
        ?.inputs()
        .map((i) => [i.label, (i.node as DataNode).value])
        .sort(),
    ).toEqual([
      ["x", 7],
      ["y", 1],
    ]);
    expect(add2?.outputs().map((o) => [o.label, o.type, (o.node as DataNode).value])).toEqual([
      ["result", "CREATE", 8],
    ]);
    expect(add2?.caller()?.pk).toBe(first);
    expect(add1?.startedAt).toBeInstanceOf(Date);
    expect(add1?.durationMs).toBeGreaterThanOrEqual(0);
    expect(run.reports().map((l) => l.step)).toContain("finalize");
    // The lines that name the task: its start, its end, and the result it gave the run.
    expect(add2?.reports().map((l) => l.step)).toEqual([
      "continue_workgraph",
      "update_task_state",
      "finalize",
    ]);
    expect(run.describe()).toBe(
      `<Run add_multiply: uuid: ${run.uuid} (pk: ${first}) FINISHED [0]>`,
    );
  });

  it("keeps a failed task's error", () => {
    const [task] = (orm.load(failed, { store }) as ProcessNode).tasks();
    expect(task?.state).toBe("FAILED");
    expect(task?.error).toMatchObject({ name: "RangeError", message: "cannot take 5" });
  });

  it("finds runs by state, name and time, newest first", () => {
    const pks = (query: Parameters<typeof queryRuns>[0]) =>
      queryRuns({ store, ...query }).map((r) => r.pk);
    expect(pks({})).toEqual([failed, second, first]);
    expect(pks({ name: "again" })).toEqual([second]);
    expect(pks({ state: "FINISHED", limit: 1 })).toEqual([second]);
    expect(pks({ state: ["KILLED", "EXCEPTED"] })).toEqual([failed]);
    expect(pks({ since: start - 1, until: new Date(Date.now() + 60_000) })).toHaveLength(3);
    expect(pks({ since: new Date(Date.now() + 60_000).toISOString() })).toEqual([]);
    expect(() => queryRuns({ store, state: "DONE" as never })).toThrow(TypeError);
    expect(() => queryRuns({ store, since: "not a date" })).toThrow(/not a date/);
  });

  it("names what it cannot find", () => {
    expect(() => orm.load(999, { store })).toThrow(NodeNotFoundError);
    expect(() => orm.load("no-such-uuid", { store })).toThrow("No node with uuid no-such-uuid");
  });
});

describe("orm", () => {
  it("keeps the data constructors beside load", () => {
    expect(orm.Int(3).value).toBe(3);
    expect(typeof orm.load).toBe("function");
  });
});
