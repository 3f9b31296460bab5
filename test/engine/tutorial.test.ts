import { afterAll, describe, expect, it } from "vitest";
import {
  MemoryStore,
  WorkGraphImperativeEngine,
  closeDefaultJobPool,
  orm,
  run,
  task,
  type Flow,
  type RunOptions,
} from "../../engine/index.js";
import { tutorialFlows } from "../../cli/tutorial-flows.js";

const jobAdd = task.job(function add(x: number, y: number) {
  return x + y;
});
const jobMultiply = task.job(function multiply(x: number, y: number) {
  return x * y;
});
const add = task(function add(x: number, y: number) {
  return x + y;
});
const multiply = task(async function multiply(x: number, y: number) {
  return x * y;
});

afterAll(() => closeDefaultJobPool());

const kinds = {
  "in-process": tutorialFlows(add, multiply),
  job: tutorialFlows(jobAdd, jobMultiply),
};

function quiet(store = new MemoryStore()): RunOptions {
  return { log: false, store };
}

function runBothShapes(flow: Flow, name: string, store: MemoryStore) {
  const short = run(flow, { x: 3, y: 4 }, quiet(store));
  const tutorial = run(
    WorkGraphImperativeEngine,
    {
      inputs: { workgraph_data: { name, flow, function_inputs: { x: orm.Int(3), y: orm.Int(4) } } },
    },
    quiet(store),
  );
  return [short, tutorial] as const;
}

describe.each(Object.entries(kinds))("the tutorial's flows with %s tasks", (kind, flows) => {
  it("add_multiply gives 7 and 7 in both call shapes", async () => {
    const store = new MemoryStore();
    for (const r of runBothShapes(flows.addMultiply, "add_multiply", store)) {
      const results = (await r) as Record<string, { value: unknown }>;
      expect(results.sum?.value).toBe(7);
      expect(results.product?.value).toBe(7);
      expect(r.state).toBe("FINISHED");
      expect(r.exitCode).toBe(0);
      expect(r.graphResults).toEqual({
        sum: { task: "add", socket: "result" },
        product: { task: "multiply", socket: "result" },
      });
      expect(r.graph().tasks.map((t) => [t.name, t.kind, t.state])).toEqual([
        ["add", kind, "FINISHED"],
        ["multiply", kind, "FINISHED"],
      ]);
      expect(r.graph().edges).toEqual([{ from: 0, to: 1, socket: "result", input: "y" }]);
    }
  });

  it("add_then_branch gives 7 and -7, and its graph holds only the taken branch", async () => {
    const store = new MemoryStore();
    for (const r of runBothShapes(flows.addThenBranch, "add_then_branch", store)) {
      const results = (await r) as Record<string, { value: unknown }>;
      expect(results.sum?.value).toBe(7);
      expect(results.multiply?.value).toBe(-7);
      const graph = r.graph();
      expect(graph.tasks.map((t) => t.name)).toEqual(["add", "multiply"]);
      expect(store.links({ to: graph.tasks[1]!.pk }).map((l) => [l.label, l.type])).toEqual([
        ["multiply", "CALL"],
        ["y", "INPUT"],
        ["x", "INPUT"],
      ]);
    }
  });

  it("keep_doubling gives 16 and grows add, add1, multiply as the tutorial's log does", async () => {
    const store = new MemoryStore();
    for (const r of runBothShapes(flows.keepDoubling, "keep_doubling", store)) {
      const results = (await r) as Record<string, { value: unknown }>;
      expect(results.sum?.value).toBe(16);
      expect(r.graph().tasks.map((t) => t.name)).toEqual(["add", "add1", "multiply"]);
      expect(r.graphResults).toEqual({ sum: { task: "multiply", socket: "result" } });
    }
  });
});

describe("the tutorial's reports", () => {
  it("say which tasks are ready and which finished, with the run's pk and timestamps", async () => {
    const lines: string[] = [];
    const r = run(
      kinds["in-process"].addMultiply,
      { x: 3, y: 4 },
      {
        log: (line) => lines.push(line.text),
        store: new MemoryStore(),
      },
    );
    await r;
    const pk = r.pk;
    const bodies = lines.map((l) => l.replace(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3} /, ""));
    expect(bodies).toEqual([
      `[REPORT] [${pk}|WorkGraphImperativeEngine|continue_workgraph]: tasks ready to run: add`,
      `[REPORT] [${pk}|WorkGraphImperativeEngine|update_task_state]: Task: add, type: in-process, finished.`,
      `[REPORT] [${pk}|WorkGraphImperativeEngine|continue_workgraph]: tasks ready to run: multiply`,
      `[REPORT] [${pk}|WorkGraphImperativeEngine|update_task_state]: Task: multiply, type: in-process, finished.`,
      `[REPORT] [${pk}|WorkGraphImperativeEngine|finalize]: Finalize addMultiply. graph results: {"sum":{"task":"add","socket":"result"},"product":{"task":"multiply","socket":"result"}}`,
    ]);
    expect(r.reports.map((l) => l.text)).toEqual(lines);
  });
});
