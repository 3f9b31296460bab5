import { describe, expect, it } from "vitest";
import {
  GraphValidationError,
  MemoryStore,
  WorkGraph,
  WorkgraphError,
  run,
  task,
  displaySymbol,
  type RunOptions,
} from "../../../engine/index.js";
import { setGraphDrawer } from "../../../engine/plumbing.js";

const add = task(function add(x: number, y: number) {
  return x + y;
});
const multiply = task(function multiply(x: number, y: number) {
  return x * y;
});
const options = (store = new MemoryStore()): RunOptions => ({ log: false, store });

/** The tutorial's add-then-branch as a graph: add, then multiply by 1 (the branch is a flow's job). */
function addMultiply(): WorkGraph {
  const wg = new WorkGraph("add_multiply");
  const a = wg.addTask(add, { x: wg.inputs.x, y: wg.inputs.y });
  const m = wg.addTask(multiply, { y: -1 }, { name: "mul" });
  wg.addLink(a.outputs.result, m.inputs.x);
  wg.addOutput("sum", a.outputs.result);
  wg.addOutput("multiply", m.outputs.result);
  return wg;
}

describe("a declarative WorkGraph", () => {
  it("can be inspected before it runs: tasks, links, a static graph with every task PLANNED", () => {
    const wg = addMultiply();
    expect(wg.tasks.map((t) => t.name)).toEqual(["add", "mul"]);
    expect(wg.links.map((l) => `${l.from.label} -> ${l.to.label}`)).toEqual([
      "inputs.x -> add.x",
      "inputs.y -> add.y",
      "add.result -> mul.x",
    ]);
    expect(wg.graph()).toEqual({
      name: "add_multiply",
      tasks: [
        { id: 0, name: "add", group: "add", kind: "in-process", state: "PLANNED" },
        { id: 1, name: "mul", group: "multiply", kind: "in-process", state: "PLANNED" },
      ],
      edges: [{ from: 0, to: 1, socket: "result", input: "x" }],
    });
    expect(wg.summary()).toBe("WorkGraph add_multiply: 2 tasks, 3 links");
  });

  it("runs with the same engine and store: 7 and -7, linked to the run's inputs", async () => {
    const store = new MemoryStore();
    const r = addMultiply().run({ x: 3, y: 4 }, options(store));
    const results = await r;
    expect(results.sum?.value).toBe(7);
    expect(results.multiply?.value).toBe(-7);
    expect(r.name).toBe("add_multiply");
    expect(r.graph().tasks.map((t) => [t.name, t.state])).toEqual([
      ["add", "FINISHED"],
      ["mul", "FINISHED"],
    ]);
    const x = store.links({ to: r.pk }).find((l) => l.label === "x")?.from;
    const addPk = r.graph().tasks[0]?.pk ?? -1;
    expect(store.links({ to: addPk })).toContainEqual({
      from: x,
      to: addPk,
      type: "INPUT",
      label: "x",
    });
  });

  it("names what is wrong: unknown inputs and outputs, missing inputs, cycles, graph inputs", () => {
    const wg = new WorkGraph("bad");
    expect(() => wg.addTask(add, { z: 1 })).toThrow(
      'task add has no input "z"; its inputs are: x, y',
    );
    const a = wg.addTask(add, { x: 1 });
    expect(() => (a.outputs as Record<string, unknown>).nope).toThrow(
      'task add has no output "nope"; its outputs are: result',
    );
    expect(() => wg.addTask(add, {}, { nmae: "b" } as never)).toThrow(/did you mean "name"/);
    const b = wg.addTask(add, { x: a.outputs.result });
    wg.addLink(b.outputs.result, a.inputs.y);
    expect(() => wg.addLink(b.outputs.result, a.inputs.y)).toThrow(
      'input "y" of task add is already given or linked',
    );
    const m = wg.addTask(multiply, { x: wg.inputs.k });
    let error: GraphValidationError | undefined;
    try {
      wg.validate({ k: 1, extra: 2 });
    } catch (e) {
      error = e as GraphValidationError;
    }
    expect(error).toBeInstanceOf(GraphValidationError);
    expect(error?.problems).toEqual([
      'input "y" of task add1 is neither given nor linked',
      'input "y" of task multiply is neither given nor linked',
      "a cycle runs through add1 -> add -> add1",
      'the graph has no input "extra"; its inputs are: k',
    ]);
    expect(m.name).toBe("multiply");
    expect(() => wg.addTask((() => 1) as never)).toThrow(/addTask\(\) needs a task/);
    const other = new WorkGraph("other");
    expect(() => other.addTask(add, { x: a.outputs.result, y: 1 })).toThrow(WorkgraphError);
  });

  it("displays as its DAG through the drawer the views register, without running", async () => {
    const views = await import("../../../widgets/index.js");
    setGraphDrawer((graph) => ({ [views.VEGA_LITE_MIME]: views.dagSpec(graph) }));
    const store = new MemoryStore();
    const wg = addMultiply();
    const bundle = wg[displaySymbol]();
    expect(bundle["text/plain"]).toBe("WorkGraph add_multiply: 2 tasks, 3 links");
    const spec = bundle[views.VEGA_LITE_MIME] as {
      datasets: { nodes: { name: string; state: string }[] };
    };
    expect(spec.datasets.nodes.map((n) => [n.name, n.state])).toEqual([
      ["add", "PLANNED"],
      ["mul", "PLANNED"],
    ]);
    expect(store.nodes()).toHaveLength(0);
  });

  it("a graph that cannot run throws before anything is stored", () => {
    const store = new MemoryStore();
    const wg = new WorkGraph("missing");
    wg.addTask(add, { x: 1 });
    expect(() => wg.run({}, options(store))).toThrow(GraphValidationError);
    expect(store.nodes()).toHaveLength(0);
  });
});

describe("mixing both styles", () => {
  it("a WorkGraph run inside an imperative flow is a child run", async () => {
    const store = new MemoryStore();
    const wg = addMultiply();
    const r = run(
      async function outer(x: number) {
        const inner = await wg.run({ x, y: 4 });
        return { doubled: multiply(inner.sum as never, 2).result };
      },
      { x: 3 },
      options(store),
    );
    expect((await r).doubled.value).toBe(14);
    const flowTask = r.graph().tasks[0];
    expect(flowTask).toMatchObject({ name: "add_multiply", kind: "flow", state: "FINISHED" });
    const child = store.links({ from: flowTask?.pk ?? -1 }).find((l) => l.type === "CALL");
    expect(store.node(child?.to ?? -1)).toMatchObject({ type: "run", name: "add_multiply" });
  });

  it("an imperative flow and another WorkGraph are tasks of a WorkGraph, each a child run", async () => {
    const store = new MemoryStore();
    async function addThenDouble(x: number, y: number) {
      const a = add(x, y);
      return { doubled: multiply(a.result, 2).result };
    }
    const wg = new WorkGraph("outer");
    const f = wg.addTask(task.flow(addThenDouble), { x: 1, y: 2 });
    const g = wg.addTask(addMultiply(), { x: f.outputs.doubled, y: 1 });
    wg.addOutput("sum", g.outputs.sum);
    wg.addOutput("multiply", g.outputs.multiply);
    expect(wg.graph().tasks.map((t) => t.kind)).toEqual(["flow", "flow"]);
    const r = wg.run({}, options(store));
    const results = await r;
    expect(results.sum?.value).toBe(7);
    expect(results.multiply?.value).toBe(-7);
    const calls = r
      .graph()
      .tasks.map((t) => store.links({ from: t.pk }).find((l) => l.type === "CALL")?.to ?? -1)
      .map((pk) => (store.node(pk) as { name?: string } | undefined)?.name);
    expect(calls).toEqual(["addThenDouble", "add_multiply"]);
  });
});
