import { describe, expect, it } from "vitest";
import type { TaskFailedError, Run } from "../../../engine/index.js";
import {
  FlowContextError,
  FlowInputError,
  MemoryStore,
  run,
  task,
  waitFor,
  type ReportLine,
  type RunOptions,
} from "../../../engine/index.js";

const add = task(function add(x: number, y: number) {
  return x + y;
});
const multiply = task(function multiply(x: number, y: number) {
  return x * y;
});
const slow = task(async function slow(ms: number) {
  await new Promise((resolve) => setTimeout(resolve, ms));
  return ms;
});

async function addMultiply(x: number, y: number) {
  const a = add(x, y);
  return { sum: a.result, product: multiply(a.result, 2).result };
}

function setup() {
  const store = new MemoryStore();
  const lines: ReportLine[] = [];
  const options: RunOptions = { store, log: (line) => lines.push(line) };
  return { store, lines, options };
}

describe("a flow that runs a flow", () => {
  it("await run(inner) inside a flow is a child run: CALL link, own reports, one node, linked results", async () => {
    const { store, lines, options } = setup();
    const outer = run(
      async function outer(x: number) {
        const inner = await run(addMultiply, { x, y: 4 });
        return { total: add(inner.product, 1).result };
      },
      { x: 3 },
      options,
    );
    const results = await outer;
    expect(results.total.value).toBe(15);
    const graph = outer.graph();
    expect(graph.tasks.map((t) => [t.name, t.kind, t.state])).toEqual([
      ["addMultiply", "flow", "FINISHED"],
      ["add", "in-process", "FINISHED"],
    ]);
    const flowTask = graph.tasks[0];
    const called = store.links({ from: flowTask?.pk ?? -1 }).filter((l) => l.type === "CALL");
    expect(called).toHaveLength(1);
    const childPk = called[0]?.to ?? -1;
    const child = store.node(childPk);
    expect(child).toMatchObject({ type: "run", name: "addMultiply", state: "FINISHED" });
    expect(store.links({ from: outer.pk })).toContainEqual({
      from: outer.pk,
      to: flowTask?.pk,
      type: "CALL",
      label: "addMultiply",
    });
    // the child's own tasks hang under the child run, not the parent
    const childCalls = store.links({ from: childPk }).filter((l) => l.type === "CALL");
    expect(childCalls.map((l) => l.label)).toEqual(["add", "multiply"]);
    // the child's input x is the parent's input node itself
    const parentX = store.links({ to: outer.pk }).find((l) => l.label === "x")?.from;
    expect(store.links({ to: childPk })).toContainEqual({
      from: parentX,
      to: childPk,
      type: "INPUT",
      label: "x",
    });
    // the child's product result is what the parent's add used, returned by the flow task
    const product = store
      .links({ from: childPk })
      .find((l) => l.type === "RETURN" && l.label === "product");
    expect(product).toBeDefined();
    expect(store.links({ from: flowTask?.pk ?? -1 })).toContainEqual({
      from: flowTask?.pk,
      to: product?.to,
      type: "RETURN",
      label: "product",
    });
    expect(store.links({ to: graph.tasks[1]?.pk ?? -1 })).toContainEqual({
      from: product?.to,
      to: graph.tasks[1]?.pk,
      type: "INPUT",
      label: "x",
    });
    // report lines of both runs, each under its own pk
    expect(lines.some((l) => l.runPk === childPk && /Finalize addMultiply/.test(l.message))).toBe(
      true,
    );
    expect(lines.some((l) => l.runPk === outer.pk && /Finalize outer/.test(l.message))).toBe(true);
  });

  it("task.flow(inner) is a task: its outputs are the child's results, usable as futures", async () => {
    const { store, options } = setup();
    const inner = task.flow(addMultiply);
    const r = run(
      async () => {
        const a = add(1, 1);
        const h = inner(a.result, 5);
        const m = multiply(h.outputs.sum, h.outputs.product);
        const whole = await h.result;
        return { m: m.result, whole };
      },
      {},
      options,
    );
    const results = await r;
    expect(results.m.value).toBe(7 * 14);
    expect(results.whole.value).toEqual({ sum: 7, product: 14 });
    expect(r.graph().edges).toContainEqual({ from: 0, to: 1, socket: "result", input: "x" });
    expect(r.graph().edges).toContainEqual({ from: 1, to: 2, socket: "sum", input: "x" });
    const flowPk = r.graph().tasks[1]?.pk ?? -1;
    expect(store.node(flowPk)).toMatchObject({ type: "task", kind: "flow" });
  });

  it("cancelling the outer run kills the inner run and its tasks", async () => {
    const { store, options } = setup();
    let childPk = -1;
    const outer = run(
      async () => {
        const child = run(async function sleeper() {
          return slow(60_000).result;
        });
        childPk = child.pk;
        await child;
      },
      {},
      options,
    );
    for (let i = 0; i < 200 && store.node(childPk)?.state !== "RUNNING"; i++) {
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    expect(store.node(childPk)?.state).toBe("RUNNING");
    outer.cancel("enough");
    const outcome = await outer.done;
    expect(outcome.state).toBe("KILLED");
    expect(store.node(childPk)?.state).toBe("KILLED");
    const childTask = store.links({ from: childPk }).find((l) => l.type === "CALL")?.to ?? -1;
    expect(store.node(childTask)?.state).toBe("KILLED");
  });

  it("pausing the outer run pauses its child runs; playing it plays them", async () => {
    const { options } = setup();
    let child: Run | undefined;
    const gate = { open: () => {} };
    const opened = new Promise<void>((resolve) => (gate.open = resolve));
    const outer = run(
      async () => {
        const inner = run(async function inner() {
          await opened;
          return add(1, 2).result;
        });
        child = inner;
        return { sum: (await inner).result };
      },
      {},
      options,
    );
    while (child === undefined) await new Promise((resolve) => setTimeout(resolve, 1));
    outer.pause();
    expect(child.paused).toBe(true);
    gate.open();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(child.tasks.map((t) => t.state)).toEqual(["PLANNED"]);
    outer.play();
    expect(child.paused).toBe(false);
    expect((await outer).sum.value).toBe(3);
  });

  it("a child that fails fails its task, and awaiting it throws the child's error", async () => {
    const { options } = setup();
    const boom = task(function boom(): number {
      throw new Error("inner boom");
    });
    const r = run(
      async () => {
        try {
          await run(async function failing() {
            const b = boom();
            await waitFor(b);
          });
        } catch (error) {
          return { caught: (error as TaskFailedError).message };
        }
        return { caught: "nothing" };
      },
      {},
      options,
    );
    const results = await r;
    expect(results.caught.value).toMatch(/Task boom \(pk \d+\) failed: Error: inner boom/);
    expect(r.graph().tasks[0]).toMatchObject({ kind: "flow", state: "FAILED" });
  });

  it("bad inputs to a child run are errors naming them; nothing stored is lost", async () => {
    const { store, options } = setup();
    const r = run(
      async () => {
        expect(() => run(addMultiply, { x: 1, z: 2 })).toThrow(FlowInputError);
        expect(() => run(addMultiply, { x: 1, z: 2 })).toThrow(/has no parameter "z"/);
        expect(() => run(addMultiply, { x: 1 })).toThrow(/needs the input "y"/);
        expect(() => run(addMultiply, { x: 1, y: 2 }, { store: new MemoryStore() })).toThrow(
          FlowContextError,
        );
        return add(1, 2).result;
      },
      {},
      options,
    );
    expect((await r).result.value).toBe(3);
    expect(r.graph().tasks.map((t) => t.name)).toEqual(["add"]);
    expect(store.node(r.pk)?.state).toBe("FINISHED");
  });

  it("a child run whose input task failed is skipped with it, and its run is KILLED", async () => {
    const { store, options } = setup();
    const bad = task(function bad(): number {
      throw new Error("no");
    });
    const inner = task.flow(addMultiply);
    const r = run(
      async () => {
        const b = bad();
        inner(b.result, 1);
      },
      {},
      options,
    );
    const outcome = await r.done;
    expect(outcome.state).toBe("FINISHED");
    const flowTask = r.graph().tasks[1];
    expect(flowTask?.state).toBe("SKIPPED");
    const childPk = store.links({ from: flowTask?.pk ?? -1 }).find((l) => l.type === "CALL")?.to;
    expect(store.node(childPk ?? -1)?.state).toBe("KILLED");
    expect(r.error).toBeUndefined();
  });
});
