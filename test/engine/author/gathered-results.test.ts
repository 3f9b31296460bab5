import { describe, expect, it } from "vitest";
import { MemoryStore, TaskFailedError, run, task, type Run } from "../../../engine/index.js";

const add = task(function add(x: number, y: number) {
  return x + y;
});
const fail = task(function fail(x: number): number {
  throw new Error(`no ${x}`);
});
const sum = task(function sum(values: readonly number[]) {
  return values.reduce((a, b) => a + b, 0);
});

type Stored = { type: string; name?: string; value?: unknown } | undefined;

/** The run's result `label`: its value, and the links into its node (type, label, from). */
function lineage(store: MemoryStore, r: Run, label: string) {
  const link = store.links({ from: r.pk }).find((l) => l.type === "RETURN" && l.label === label);
  const pk = link?.to ?? -1;
  const into = store.links({ to: pk }).map((l) => {
    const from = store.node(l.from) as Stored;
    return [l.type, l.label, from?.type, from?.name];
  });
  return { value: (store.node(pk) as Stored)?.value, into };
}

/** The INPUT links of the run's task `name`: label and the value of the node. */
function inputsOf(store: MemoryStore, r: Run, name: string) {
  const pk = r.graph().tasks.find((t) => t.name === name)?.pk ?? -1;
  return store
    .links({ to: pk })
    .filter((l) => l.type === "INPUT")
    .map((l) => [l.label, (store.node(l.from) as Stored)?.value]);
}

describe("results that gather several futures", () => {
  it("are created by a gather task that takes each future (and the values beside them)", async () => {
    const store = new MemoryStore();
    const r = run(
      async () => {
        const a = add(1, 2);
        const b = add(3, 4);
        return { all: [a.result, b.result, 100], pair: { first: a.result }, one: b.result };
      },
      {},
      { store, log: false },
    );
    const results = await r;
    expect(results.all.value).toEqual([3, 7, 100]);
    expect(results.pair.value).toEqual({ first: 3 });
    expect(r.graph().tasks.map((t) => t.name)).toEqual(["add", "add1", "gather", "gather1"]);
    expect(r.graphResults).toEqual({
      all: { task: "gather", socket: "result" },
      pair: { task: "gather1", socket: "result" },
      one: { task: "add1", socket: "result" },
    });
    expect(lineage(store, r, "all")).toEqual({
      value: [3, 7, 100],
      into: [
        ["CREATE", "result", "task", "gather"],
        ["RETURN", "all", "run", r.name],
      ],
    });
    expect(inputsOf(store, r, "gather")).toEqual([
      ["value[0]", 3],
      ["value[1]", 7],
      ["value[2]", 100],
    ]);
    expect(inputsOf(store, r, "gather1")).toEqual([["value.first", 3]]);
    const edges = r.graph().edges.filter((e) => e.to === 2);
    expect(edges.map((e) => [e.from, e.input])).toEqual([
      [0, "value[0]"],
      [1, "value[1]"],
    ]);
  });

  it("gather a list returned as the flow's one result, also from a child run", async () => {
    const store = new MemoryStore();
    const inner = async (x: number) => [add(x, 1).result, add(x, 2).result];
    let child: Run | undefined;
    const r = run(
      async () => {
        const called = run(inner, { x: 10 });
        child = called;
        const total = sum((await called).result);
        return { total: total.result };
      },
      {},
      { store, log: false },
    );
    expect((await r).total.value).toBe(23);
    const result = lineage(store, child as Run, "result");
    expect(result.value).toEqual([11, 12]);
    expect(result.into).toContainEqual(["CREATE", "result", "task", "gather"]);
  });

  it("end the run with the failure of a task they gather, naming that task", async () => {
    const r = run(
      async () => ({ all: [add(1, 2).result, fail(1).result] }),
      {},
      { store: new MemoryStore(), log: false },
    );
    const error = await r.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TaskFailedError);
    expect((error as TaskFailedError).taskName).toBe("fail");
    expect(r.state).toBe("EXCEPTED");
    expect(r.graph().tasks.map((t) => [t.name, t.state])).toEqual([
      ["add", "FINISHED"],
      ["fail", "FAILED"],
      ["gather", "SKIPPED"],
    ]);
  });
});
