import { describe, expect, it } from "vitest";
import { MemoryStore, run, task } from "../../engine/index.js";
import { SqliteStore } from "../../engine/store/sqlite/sqlite-store.js";
import { ProcessRunSource, StoredRunSource } from "../../widgets/index.js";
import { connectPage } from "./support/page-connection.js";

const add = task(function add(x: number, y: number) {
  return x + y;
});
const fail = task(function fail(_x: number): number {
  throw new RangeError("too big");
});

async function addThenFail(x: number) {
  const a = add(x, 1);
  const b = fail(a.result);
  add(b.result, 2);
  return { a: a.result };
}

describe("a page connection over this process's runs", () => {
  it("lists runs, sends a run's views and a task's details", async () => {
    const source = new ProcessRunSource();
    const r = run(addThenFail, { x: 1 }, { log: false, store: new MemoryStore() });
    const id = source.register(r);
    await r.done;
    const page = connectPage(source);
    page.send({ type: "runs" });
    expect((await page.next("runs")).runs).toMatchObject([{ id, name: "addThenFail", tasks: 3 }]);
    page.send({ type: "open", run: id });
    const graph = await page.next("graph");
    expect(graph.state).toBe("FINISHED");
    expect(JSON.stringify(graph.dag)).toContain('"name":"fail"');
    page.send({ type: "task", run: id, task: 1 });
    const { detail } = await page.next("task");
    expect(detail).toMatchObject({
      name: "fail",
      state: "FAILED",
      inputs: { _x: "2" },
      error: { name: "RangeError", message: "too big" },
    });
    expect(detail?.history.map((h) => h.state)).toEqual(["PLANNED", "RUNNING", "FAILED"]);
    expect(detail?.logs.join("\n")).toContain("Task: fail, type: in-process, failed");
    expect(detail?.source).toContain("throw new RangeError");
    page.connection.close();
  });

  it("answers a malformed message with an error that names the problem", async () => {
    const page = connectPage(new ProcessRunSource());
    page.connection.receive("{");
    expect((await page.next("error")).message).toBe("Bad message: not JSON");
    page.send({ type: "open", run: "one" });
    expect((await page.next("error")).message).toMatch(/^Bad message: .*run/s);
    page.connection.close();
  });
});

describe("a page connection over a store", () => {
  it("reads a run's graph and a task's details back", async () => {
    const store = new SqliteStore(":memory:");
    const r = run(addThenFail, { x: 1 }, { log: false, store });
    await r.done;
    const source = new StoredRunSource(store);
    const [summary] = await source.runs();
    expect(summary).toMatchObject({ pk: r.pk, name: "addThenFail", state: r.state, tasks: 3 });
    const graph = await source.graph(r.pk);
    expect(graph?.tasks.map((t) => [t.name, t.state])).toEqual([
      ["add", "FINISHED"],
      ["fail", "FAILED"],
      ["add1", "SKIPPED"],
    ]);
    // the store links a task's inputs when it starts: add1 never did, so its edge is unknown
    expect(graph?.edges.map((e) => [e.from, e.to, e.input])).toContainEqual([0, 1, "_x"]);
    const detail = await source.task(r.pk, 0);
    expect(detail).toMatchObject({
      name: "add",
      inputs: { x: "1", y: "1" },
      outputs: { result: "2" },
    });
  });
});
