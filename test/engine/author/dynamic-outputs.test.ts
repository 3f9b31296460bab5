import { describe, expect, it } from "vitest";
import { z } from "zod";
import {
  MemoryStore,
  TaskOutputError,
  UnknownOutputError,
  WorkGraph,
  run,
  task,
  waitFor,
  type RunOptions,
} from "../../../engine/index.js";

const options = (store = new MemoryStore()): RunOptions => ({ log: false, store });

const squares = task(
  function squares(n: number) {
    const out: Record<string, number> = {};
    for (let i = 0; i < n; i++) out[`sq_${i}`] = i * i;
    return out;
  },
  { outputs: "dynamic" },
);
const describeValues = task(
  function describeValues(values: number[]) {
    const mean = values.reduce((a, b) => a + b, 0) / values.length;
    const sd = Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / values.length);
    return { stats: { mean, sd }, count: values.length };
  },
  { outputs: { stats: ["mean", "sd"], count: z.number() } },
);
const add = task(function add(x: number, y: number) {
  return x + y;
});

/** The CREATE links of a task node, label to stored value. */
function created(store: MemoryStore, pk: number): Record<string, unknown> {
  return Object.fromEntries(
    store
      .links({ from: pk })
      .filter((l) => l.type === "CREATE")
      .map((l) => {
        const node = store.node(l.to);
        return [l.label, node?.type === "data" ? node.value : undefined];
      }),
  );
}

describe("dynamic outputs", () => {
  it("give one socket and one data node per returned key, usable as inputs and linked", async () => {
    const store = new MemoryStore();
    const r = run(
      async () => {
        const s = squares(4);
        const sum = add(s.outputs.sq_2!, s.outputs.sq_3!);
        expect(await s.outputs.sq_1!).toBe(1);
        return { sum: sum.result, last: s.outputs.sq_3! };
      },
      {},
      options(store),
    );
    const results = await r;
    expect(results.sum.value).toBe(13);
    expect(results.last.value).toBe(9);
    const [s, sum] = r.graph().tasks;
    // one node per key, each created by the task under its key
    expect(created(store, s?.pk ?? -1)).toEqual({ sq_0: 0, sq_1: 1, sq_2: 4, sq_3: 9 });
    const inputs = store.links({ to: sum?.pk ?? -1 }).filter((l) => l.type === "INPUT");
    const bySocket = new Map(
      store.links({ from: s?.pk ?? -1 }).map((l) => [l.to, l.label] as const),
    );
    expect(inputs.map((l) => [l.label, bySocket.get(l.from)])).toEqual([
      ["x", "sq_2"],
      ["y", "sq_3"],
    ]);
    expect(r.graph().edges).toContainEqual({ from: 0, to: 1, socket: "sq_2", input: "x" });
  });

  it("a key the task did not return fails the task reading it, naming what was returned", async () => {
    const r = run(
      async () => {
        const s = squares(2);
        const sum = add(s.outputs.sq_5!, 1);
        await waitFor(sum).catch(() => undefined);
        return { state: sum.state, error: String(await sum.result.then(undefined, (e) => e)) };
      },
      {},
      options(),
    );
    const results = await r;
    expect(results.state.value).toBe("FAILED");
    expect(results.error.value).toContain(
      'Task squares did not return the output "sq_5"; it returned: sq_0, sq_1',
    );
  });

  it("a zod record validates every dynamic output; a dotted key or a non-object is refused", async () => {
    const positive = task((x: number) => ({ a: x, b: -x }), {
      name: "positive",
      outputs: z.record(z.string(), z.number().positive()),
    });
    const dotted = task(() => ({ "a.b": 1 }), { name: "dotted", outputs: "dynamic" });
    const scalar = task(() => 5, { name: "scalar", outputs: "dynamic" });
    const r = run(
      async () => {
        const tasks = [positive(2), dotted(), scalar()];
        await waitFor(tasks).catch(() => undefined);
        return { errors: tasks.map((t) => (t.task.error as Error).message) };
      },
      {},
      options(),
    );
    const errors = (await r).errors.value;
    expect(errors[0]).toBe(
      'Task positive: output "b" is invalid: Too small: expected number to be >0',
    );
    expect(errors[1]).toContain('returned the dynamic output "a.b"');
    expect(errors[2]).toBe("Task scalar returned number 5, not an object with its outputs");
    expect(r.tasks.map((t) => t.state)).toEqual(["FAILED", "FAILED", "FAILED"]);
  });
});

describe("namespaced outputs", () => {
  it("outputs.stats.mean is a socket with a node of its own; the namespace is a future of the whole", async () => {
    const store = new MemoryStore();
    const r = run(
      async () => {
        const d = describeValues([1, 3, 5, 7]);
        const shifted = add(d.outputs.stats.mean, d.outputs.count);
        expect(await d.outputs.stats).toEqual({ mean: 4, sd: Math.sqrt(5) });
        return { shifted: shifted.result, sd: d.outputs.stats.sd };
      },
      {},
      options(store),
    );
    const results = await r;
    expect(results.shifted.value).toBe(8);
    expect(results.sd.value).toBe(Math.sqrt(5));
    const [d] = r.graph().tasks;
    expect(created(store, d?.pk ?? -1)).toEqual({
      "stats.mean": 4,
      "stats.sd": Math.sqrt(5),
      count: 4,
    });
    expect(r.graph().edges).toContainEqual({ from: 0, to: 1, socket: "stats.mean", input: "x" });
    expect(r.graphResults.sd).toEqual({ task: "describeValues", socket: "stats.sd" });
  });

  it("a missing member or a namespace that is not an object fails the task, naming the output", async () => {
    const broken = task((): unknown => ({ stats: { mean: 1 } }), {
      name: "broken",
      outputs: { stats: ["mean", "sd"] },
    });
    const flat = task((): unknown => ({ stats: 3 }), {
      name: "flat",
      outputs: { stats: ["mean"] },
    });
    const r = run(
      async () => {
        const tasks = [broken(), flat()];
        await waitFor(tasks).catch(() => undefined);
        const errors = tasks.map((t) => t.task.error as TaskOutputError);
        expect(errors[0]).toBeInstanceOf(TaskOutputError);
        return { outputs: errors.map((e) => e.output), messages: errors.map((e) => e.message) };
      },
      {},
      options(),
    );
    const results = await r;
    expect(results.outputs.value).toEqual(["stats.sd", "stats"]);
    expect(results.messages.value).toEqual([
      'Task broken did not return its declared output "stats.sd"',
      'Task flat: output namespace "stats" is number 3, not an object of outputs',
    ]);
  });

  it("a dynamic namespace beside declared outputs", async () => {
    const split = task(
      (xs: number[]) => ({
        total: xs.length,
        parts: Object.fromEntries(xs.map((x, i) => [`p${i}`, x])),
      }),
      { name: "split", outputs: { total: z.number(), parts: "dynamic" } },
    );
    const store = new MemoryStore();
    const r = run(
      async () => {
        const s = split([5, 6]);
        return { p1: s.outputs.parts.p1 as unknown as number, total: s.outputs.total };
      },
      {},
      options(store),
    );
    const results = await r;
    expect(results.p1.value).toBe(6);
    expect(created(store, r.graph().tasks[0]?.pk ?? -1)).toEqual({
      total: 2,
      "parts.p0": 5,
      "parts.p1": 6,
    });
  });
});

describe("outputs named wrongly", () => {
  it("an unknown output of a task or a namespace throws at once, naming the known ones", async () => {
    const r = run(
      async () => {
        const a = add(1, 2);
        const d = describeValues([1]);
        const errors = [
          () => (a.outputs as Record<string, unknown>).sum,
          () => (d.outputs as Record<string, unknown>).mean,
          () => (d.outputs.stats as unknown as Record<string, unknown>).median,
        ].map((f) => {
          try {
            f();
            return "no error";
          } catch (error) {
            expect(error).toBeInstanceOf(UnknownOutputError);
            return (error as Error).message;
          }
        });
        await waitFor([a, d]);
        return { errors };
      },
      {},
      options(),
    );
    expect((await r).errors.value).toEqual([
      'Task add has no output "sum"; its outputs are: (none: declare outputs, or use result)',
      'Task describeValues has no output "mean"; its outputs are: count, stats',
      'Task describeValues has no output "stats.median"; its outputs are: stats.mean, stats.sd',
    ]);
  });

  it("a bad outputs option is refused when the task is defined, naming the part", () => {
    expect(() => task((x: number) => x, { name: "t", outputs: { a: 3 } as never })).toThrow(
      'Options of task t: output namespace "a" is number; expected a list of names, "dynamic", a zod record, or an object of schemas and namespaces',
    );
    expect(() => task((x: number) => x, { name: "t", outputs: { s: ["a.b"] } })).toThrow(
      'Options of task t: output namespace "s" names "a.b"; an output name is a non-empty string without "."',
    );
    expect(() => task((x: number) => x, { name: "t", outputs: "dynamik" as never })).toThrow(
      'Options of task t: outputs is "dynamik"',
    );
  });
});

describe("dynamic and namespaced outputs in a WorkGraph", () => {
  it("addTask(...).outputs reaches dynamic keys and namespace members", async () => {
    const wg = new WorkGraph("outputs");
    const s = wg.addTask(squares, { n: 3 });
    const d = wg.addTask(describeValues, { values: [s.outputs.sq_1, s.outputs.sq_2] });
    const total = wg.addTask(add, { x: d.outputs.stats.mean, y: d.outputs.count });
    wg.addOutput("total", total.outputs.result);
    wg.addOutput("sd", d.outputs.stats.sd);
    expect(() => (d.outputs.stats as unknown as Record<string, unknown>).median).toThrow(
      'task describeValues has no output "stats.median"; its outputs are: stats.mean, stats.sd',
    );
    expect(wg.graph().edges).toContainEqual({ from: 1, to: 2, socket: "stats.mean", input: "x" });
    const results = await wg.run({}, options());
    expect(results.total?.value).toBe(4.5);
    expect(results.sd?.value).toBe(1.5);
  });
});
