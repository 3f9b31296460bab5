import { describe, expect, it } from "vitest";
import {
  MemoryStore,
  MissingPartError,
  TaskFailedError,
  TaskSocket,
  run,
  task,
  waitFor,
  type RunOptions,
} from "../../../engine/index.js";

const options = (store = new MemoryStore()): RunOptions => ({ log: false, store });
const pair = task(function pair(x: number) {
  return [x, x * 10] as number[];
});
const stats = task(function stats(values: number[]) {
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  return { mean, count: values.length, "odd key": true };
});
const double = task(function double(x: number) {
  return 2 * x;
});

describe("a future's parts", () => {
  it("indexing and property access give futures of the part: awaitable, inputs, linked", async () => {
    const store = new MemoryStore();
    const r = run(
      async () => {
        const p = pair(4);
        const s = stats(p.result);
        const second = p.result[1] as TaskSocket<number>;
        expect(second).toBeInstanceOf(TaskSocket);
        expect(await second).toBe(40);
        const d = double(s.result.mean); // a part as a task input: an edge
        expect(await s.result.count).toBe(2);
        expect(await s.result.part("odd key")).toBe(true);
        return { d: d.result, second, mean: s.result.mean };
      },
      {},
      options(store),
    );
    const results = await r;
    expect(results.d.value).toBe(44);
    expect(results.second.value).toBe(40);
    expect(results.mean.value).toBe(22);
    const graph = r.graph();
    expect(graph.edges).toContainEqual({ from: 1, to: 2, socket: "result.mean", input: "x" });
    expect(r.graphResults.second).toEqual({ task: "pair", socket: "result[1]" });
    // the task fed from a part is linked to the stored output it came from
    const doublePk = graph.tasks[2]?.pk ?? -1;
    const statsOutput = store
      .links({ from: graph.tasks[1]?.pk ?? -1 })
      .find((l) => l.type === "CREATE" && l.label === "result");
    expect(statsOutput).toBeDefined();
    expect(store.links({ to: doublePk })).toContainEqual({
      from: statsOutput?.to,
      to: doublePk,
      type: "INPUT",
      label: "x",
    });
  });

  it("a part the value does not have is an error naming it, never a silent undefined", async () => {
    const r = run(
      async () => {
        const p = pair(1);
        await waitFor(p);
        const missing = p.result.part(5);
        expect(() => missing.value).toThrow(MissingPartError);
        expect(() => missing.value).toThrow("Task pair has no result[5]: the value is [ 1, 10 ]");
        const d = double(p.result.part<number>(7));
        await waitFor(d);
      },
      {},
      options(),
    );
    const outcome = await r.done;
    expect(outcome.state).toBe("EXCEPTED");
    expect(outcome.error).toBeInstanceOf(TaskFailedError);
    const cause = (outcome.error as TaskFailedError).cause;
    expect(cause).toBeInstanceOf(MissingPartError);
    expect((cause as MissingPartError).part).toBe("result[7]");
  });

  it("a socket's own members stay what they are; part() reaches keys with the same names", async () => {
    const named = task(function named() {
      return { name: "n", value: 5 };
    });
    const r = await run(
      async () => {
        const n = named();
        await waitFor(n);
        return {
          own: n.result.name,
          name: await n.result.part("name"),
          value: n.result.part<number>("value"),
        };
      },
      {},
      options(),
    );
    expect(r.own.value).toBe("result");
    expect(r.name.value).toBe("n");
    expect(r.value.value).toBe(5);
  });
});
