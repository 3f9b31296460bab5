import { describe, expect, it } from "vitest";
import { FOLD_ABOVE, foldRepeated } from "../../widgets/graph/fold-repeated.js";
import { dagBundle, type DrawableGraph } from "../../widgets/index.js";

/** A fan-out of `n` calls of `inc`, summed by one `total`, as a run's graph. */
function fanOut(n: number, running = 0): DrawableGraph {
  const tasks = Array.from({ length: n }, (_, id) => ({
    id,
    name: id === 0 ? "inc" : `inc${id}`,
    group: "inc",
    state: id < running ? ("RUNNING" as const) : ("FINISHED" as const),
    createdAt: 1000 + id,
    startedAt: 1001 + id,
    ...(id < running ? {} : { endedAt: 2000 + id }),
  }));
  tasks.push({
    id: n,
    name: "total",
    group: "total",
    state: "PLANNED" as never,
    createdAt: 5000,
    startedAt: 0,
  });
  const edges = Array.from({ length: n }, (_, id) => ({ from: id, to: n }));
  return { name: "fan_out", state: "RUNNING", tasks, edges };
}

describe("folding large graphs", () => {
  it("folds the calls of one task function into one node, with its edges", () => {
    const folded = foldRepeated(fanOut(1000, 3));
    expect(folded.tasks.map((t) => [t.name, t.state])).toEqual([
      ["inc ×1,000", "RUNNING"],
      ["total", "PLANNED"],
    ]);
    expect(folded.edges).toEqual([{ from: 0, to: 1 }]);
    expect(folded.tasks[0]?.startedAt).toBe(1001);
    expect(folded.tasks[0]?.endedAt).toBeUndefined();
  });

  it("draws a graph above the limit folded, and keeps the true counts in the text", async () => {
    const bundle = await dagBundle({ ...fanOut(FOLD_ABOVE + 200), state: "FINISHED" });
    expect(bundle["text/plain"]).toBe(
      `fan_out: ${FOLD_ABOVE + 201} tasks, ${FOLD_ABOVE + 200} FINISHED, 1 PLANNED`,
    );
    const svg = bundle["image/svg+xml"] as string;
    expect(svg).toContain("inc ×500");
    expect(svg.length).toBeLessThan(40_000);
  });

  it("draws a graph at the limit task by task", async () => {
    const bundle = await dagBundle({ ...fanOut(FOLD_ABOVE - 1), state: "FINISHED" });
    expect(bundle["image/svg+xml"] as string).toContain(">inc1<");
  });
});
