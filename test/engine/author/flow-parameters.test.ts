import { describe, expect, it } from "vitest";
import {
  FlowContextError,
  FlowInputError,
  MemoryStore,
  WorkGraph,
  WorkGraphImperativeEngine,
  inputNode,
  orm,
  run,
  task,
  type Run,
} from "../../../engine/index.js";

const add = task(function add(x: number, y: number) {
  return x + y;
});
const sum = task(function sum(values: readonly number[]) {
  return values.reduce((a, b) => a + b, 0);
});
const scale = task(function scale(config: { readonly by: number }, x: number) {
  return config.by * x;
});
const shout = task(function shout(text: string) {
  return text.toUpperCase();
});

type Stored = { type: string; value?: unknown } | undefined;

/** The pk and value linked to input `label` of the run's task `name`. */
function inputOf(store: MemoryStore, r: Run, name: string, label: string) {
  const pk = r.graph().tasks.find((t) => t.name === name)?.pk ?? -1;
  const link = store.links({ to: pk }).find((l) => l.type === "INPUT" && l.label === label);
  return { pk: link?.from, value: (store.node(link?.from ?? -1) as Stored)?.value };
}

/** The pk of the run's own input node `label`. */
function runInput(store: MemoryStore, r: Run, label: string): number | undefined {
  return store.links({ to: r.pk }).find((l) => l.type === "INPUT" && l.label === label)?.from;
}

describe("flow parameters are what their types say", () => {
  it("gives arrays, objects, numbers and strings as themselves", async () => {
    const seen: Record<string, unknown> = {};
    const r = run(
      async (items: number[], n: number, name: string, config: { by: number }) => {
        seen.isArray = Array.isArray(items);
        seen.doubled = items.map((i) => i * 2);
        seen.strictEqual = n === 3;
        seen.typeofN = typeof n;
        seen.upper = name.toUpperCase();
        seen.by = config.by;
        seen.keys = Object.keys(config);
        return { total: sum(items).result };
      },
      { items: [1, 2, 3], n: 3, name: "ada", config: { by: 2 } },
      { store: new MemoryStore(), log: false },
    );
    expect((await r).total.value).toBe(6);
    expect(seen).toEqual({
      isArray: true,
      doubled: [2, 4, 6],
      strictEqual: true,
      typeofN: "number",
      upper: "ADA",
      by: 2,
      keys: ["by"],
    });
  });

  it("gives the values of nodes passed in the tutorial's call shape", async () => {
    let received: unknown[] = [];
    const r = run(
      WorkGraphImperativeEngine,
      {
        inputs: {
          workgraph_data: {
            flow: async (x: number, y: number) => {
              received = [typeof x, x === 3, typeof y, y + 1];
              return { sum: add(x, y).result };
            },
            function_inputs: { x: orm.Int(3), y: orm.Int(4) },
          },
        },
      },
      { store: new MemoryStore(), log: false },
    );
    expect((await r).sum.value).toBe(7);
    expect(received).toEqual(["number", true, "number", 5]);
  });

  it("links tasks fed from the parameters to the run's input nodes", async () => {
    const store = new MemoryStore();
    const r = run(
      async (items: number[], n: number, name: string, config: { by: number }) => {
        sum(items);
        add(n, 10);
        shout(name);
        scale(config, 5);
        const s = sum([items.length, add(n, 1).result]);
        return { s: s.result };
      },
      { items: [1, 2, 3], n: 3, name: "ada", config: { by: 2 } },
      { store, log: false },
    );
    expect((await r).s.value).toBe(7);
    expect(inputOf(store, r, "sum", "values").pk).toBe(runInput(store, r, "items"));
    expect(inputOf(store, r, "add", "x").pk).toBe(runInput(store, r, "n"));
    expect(inputOf(store, r, "add", "y")).toMatchObject({ value: 10 });
    expect(inputOf(store, r, "add", "y").pk).not.toBe(runInput(store, r, "n"));
    expect(inputOf(store, r, "shout", "text").pk).toBe(runInput(store, r, "name"));
    expect(inputOf(store, r, "scale", "config").pk).toBe(runInput(store, r, "config"));
    // a literal part beside a future that equals input n: the value rule links it
    expect(inputOf(store, r, "sum1", "values[0]").pk).toBe(runInput(store, r, "n"));
  });

  it("links an input object by identity, also inside an argument, and a copy as a new value", async () => {
    const store = new MemoryStore();
    const r = run(
      async (items: number[]) => {
        const a = add(1, 2);
        sum([...items, 4]);
        return { nested: scale({ by: a.result }, items.length).result, in: sum(items).result };
      },
      { items: [1, 2, 3] },
      { store, log: false },
    );
    await r;
    const items = runInput(store, r, "items");
    const copy = inputOf(store, r, "sum", "values");
    expect(copy.value).toEqual([1, 2, 3, 4]);
    expect(copy.pk).not.toBe(items);
    expect(inputOf(store, r, "sum1", "values").pk).toBe(items);
  });

  it("gives arrays and objects read-only, and leaves the caller's value alone", async () => {
    const given = { items: [3, 1, 2] };
    let error: unknown;
    const r = run(
      async (items: number[]) => {
        try {
          items.sort();
        } catch (e) {
          error = e;
        }
        return { sorted: sum([...items].sort()).result };
      },
      given,
      { store: new MemoryStore(), log: false },
    );
    expect((await r).sorted.value).toBe(6);
    expect(error).toBeInstanceOf(TypeError);
    expect(given.items).toEqual([3, 1, 2]);
    expect(Object.isFrozen(given.items)).toBe(false);
  });

  it("links a primitive only when exactly one input holds its value", async () => {
    const store = new MemoryStore();
    const r = run(
      async (x: number, y: number) => ({ s: add(x, y).result }),
      { x: 3, y: 3 },
      { store, log: false },
    );
    expect((await r).s.value).toBe(6);
    for (const label of ["x", "y"]) {
      const linked = inputOf(store, r, "add", label);
      expect(linked.value).toBe(3);
      expect([runInput(store, r, "x"), runInput(store, r, "y")]).not.toContain(linked.pk);
    }
  });

  it("gives the node itself through inputNode(), linked whatever the values", async () => {
    const store = new MemoryStore();
    let pk: number | undefined;
    const r = run(
      async (x: number, y: number) => {
        const node = inputNode<number>("x");
        pk = node.pk;
        expect([node.value, inputNode<number>("y").value]).toEqual([x, y]);
        return { s: add(node, inputNode<number>("y")).result };
      },
      { x: 3, y: 3 },
      { store, log: false },
    );
    expect((await r).s.value).toBe(6);
    expect(pk).toBe(runInput(store, r, "x"));
    expect(inputOf(store, r, "add", "x").pk).toBe(runInput(store, r, "x"));
    expect(inputOf(store, r, "add", "y").pk).toBe(runInput(store, r, "y"));
  });

  it("refuses inputNode() of an unknown input, naming the inputs, and outside a flow", async () => {
    const r = run(
      async (x: number) => {
        inputNode("z");
        return x;
      },
      { x: 1 },
      { store: new MemoryStore(), log: false },
    );
    await expect(r).rejects.toThrow(FlowInputError);
    await expect(r).rejects.toThrow('has no input "z"; its inputs are: x');
    expect(() => inputNode("x")).toThrow(FlowContextError);
    expect(() => inputNode("x")).toThrow(/outside a flow/);
  });

  it("passes a parent's input on to a child run as the same node", async () => {
    const store = new MemoryStore();
    const inner = async (values: number[]) => ({ total: sum(values).result });
    let child: Run<{ total: unknown }> | undefined;
    const r = run(
      async (items: number[]) => {
        child = run(inner, { values: items });
        return { total: (await child).total };
      },
      { items: [1, 2, 3] },
      { store, log: false },
    );
    expect((await r).total.value).toBe(6);
    expect(runInput(store, child as unknown as Run, "values")).toBe(runInput(store, r, "items"));
  });

  it("links a WorkGraph's tasks to its input nodes even when inputs share a value", async () => {
    const store = new MemoryStore();
    const wg = new WorkGraph("twins");
    const a = wg.addTask(add, { x: wg.inputs.x, y: wg.inputs.y });
    wg.addOutput("sum", a.outputs.result);
    const r = wg.run({ x: 3, y: 3 }, { store, log: false });
    expect((await r).sum?.value).toBe(6);
    expect(inputOf(store, r, "add", "x").pk).toBe(runInput(store, r, "x"));
    expect(inputOf(store, r, "add", "y").pk).toBe(runInput(store, r, "y"));
  });
});
