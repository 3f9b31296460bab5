import { describe, expect, it } from "vitest";
import { MemoryStore, run, task } from "../../../engine/index.js";

const add = task(function add(x: number, y: number) {
  return x + y;
});
const sum = task(function sum(values: number[]) {
  return values.reduce((a, b) => a + b, 0);
});
const scale = task(function scale(config: { by: number; factor: number }) {
  return config.by * config.factor;
});

describe("inputs that mix futures and literal values", () => {
  it("records every literal value inside an array or object input, beside the futures", async () => {
    const store = new MemoryStore();
    const r = run(
      async () => {
        const a = add(1, 2);
        const s = sum([a.result, 1000, 5]);
        return { total: s.result, scaled: scale({ by: a.result, factor: 10 }).result };
      },
      {},
      { store, log: false },
    );
    const results = await r;
    expect(results.total.value).toBe(1008);
    expect(results.scaled.value).toBe(30);
    const inputsOf = (name: string) => {
      const pk = r.graph().tasks.find((t) => t.name === name)?.pk ?? -1;
      return store
        .links({ to: pk })
        .filter((l) => l.type === "INPUT")
        .map((l) => [l.label, (store.node(l.from) as { value?: unknown } | undefined)?.value]);
    };
    expect(inputsOf("sum")).toEqual([
      ["values[0]", 3],
      ["values[1]", 1000],
      ["values[2]", 5],
    ]);
    expect(inputsOf("scale")).toEqual([
      ["config.by", 3],
      ["config.factor", 10],
    ]);
  });
});
