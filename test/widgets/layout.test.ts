import { describe, expect, it } from "vitest";
import {
  AppendOnlyLayout,
  sugiyamaLayout,
  type DrawableGraph,
  type DrawableTask,
  type GraphLayout,
} from "../../widgets/index.js";
import { fixture } from "./support/fixtures.js";

/** A run-like graph of `n` tasks: a few sources, fan-outs, fan-ins and long edges. */
function bigGraph(n: number): DrawableGraph {
  let seed = 7;
  const random = () => (seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648;
  const tasks: DrawableTask[] = [];
  const edges: { from: number; to: number }[] = [];
  for (let id = 0; id < n; id++) {
    tasks.push({ id, name: `task${id}` });
    const parents = id < 3 ? 0 : 1 + Math.floor(random() * 2);
    for (let p = 0; p < parents; p++) {
      const from = Math.max(0, id - 1 - Math.floor(random() * 12));
      if (!edges.some((e) => e.from === from && e.to === id)) edges.push({ from, to: id });
    }
  }
  return { name: "big", state: "FINISHED", tasks, edges };
}

/** The first `k` tasks of a graph and the edges among them: the graph as it was earlier. */
function prefix(graph: DrawableGraph, k: number): DrawableGraph {
  return { ...graph, tasks: graph.tasks.slice(0, k), edges: graph.edges.filter((e) => e.to < k) };
}

function expectWellFormed(graph: DrawableGraph, layout: GraphLayout): void {
  expect(layout.nodes.size).toBe(graph.tasks.length);
  const seen = new Set<string>();
  for (const point of layout.nodes.values()) {
    const key = `${Math.round(point.x)},${Math.round(point.y)}`;
    expect(seen.has(key), `two nodes at ${key}`).toBe(false);
    seen.add(key);
  }
  for (const edge of graph.edges) {
    const from = layout.nodes.get(edge.from);
    const to = layout.nodes.get(edge.to);
    expect(from && to && from.x < to.x, `edge ${edge.from}→${edge.to} points right`).toBe(true);
  }
  expect(layout.edges).toHaveLength(graph.edges.length);
}

describe("the append-only layout", () => {
  it("never moves a node once placed, while the graph grows", () => {
    const graph = bigGraph(300);
    const layout = new AppendOnlyLayout();
    const placed = new Map<number, string>();
    for (let k = 1; k <= graph.tasks.length; k += 7) {
      const now = layout.update(prefix(graph, k));
      for (const [id, where] of placed) {
        const point = now.nodes.get(id);
        expect(`${point?.x},${point?.y}`).toBe(where);
      }
      for (const [id, point] of now.nodes) placed.set(id, `${point.x},${point.y}`);
    }
  });

  it("puts a task right of its parents, near their rows", () => {
    const graph = fixture("live-fan-out");
    const layout = new AppendOnlyLayout().update(graph);
    expectWellFormed(graph, layout);
    // the four parallel tasks fill the rows nearest their parent's: 0, 1, -1, 2
    expect([1, 2, 3, 4].map((id) => layout.nodes.get(id)?.y)).toEqual([0, 40, -40, 80]);
  });

  it("lays out 1,000 tasks", () => {
    const graph = bigGraph(1000);
    const started = performance.now();
    const layout = new AppendOnlyLayout().update(graph);
    console.log(`append-only layout, 1,000 tasks: ${(performance.now() - started).toFixed(1)} ms`);
    expectWellFormed(graph, layout);
  });
});

describe("the Sugiyama layout", () => {
  it("is deterministic and well formed", () => {
    const graph = fixture("static-diamond");
    const a = sugiyamaLayout(graph);
    expectWellFormed(graph, a);
    expect([...sugiyamaLayout(graph).nodes]).toEqual([...a.nodes]);
  });

  it("lays out 1,000 tasks", () => {
    const graph = bigGraph(1000);
    const started = performance.now();
    const layout = sugiyamaLayout(graph);
    console.log(`Sugiyama layout, 1,000 tasks: ${(performance.now() - started).toFixed(0)} ms`);
    expectWellFormed(graph, layout);
  });
});
