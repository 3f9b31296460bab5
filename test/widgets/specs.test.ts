import { describe, expect, it } from "vitest";
import { dagSpec, timelineSpec } from "../../widgets/index.js";
import { compileWith56 } from "./support/vega-lite-5.6.js";
import { expectGolden, fixture, FIXTURE_NOW, FIXTURES } from "./support/fixtures.js";

describe.each(FIXTURES)("the specs of %s", (name) => {
  const graph = fixture(name);

  it("match the golden DAG spec", async () => {
    await expectGolden(`${name}.dag`, dagSpec(graph));
  });

  it("match the golden timeline spec", async () => {
    await expectGolden(`${name}.timeline`, timelineSpec(graph, { now: FIXTURE_NOW }));
  });

  it("compile with Vega-Lite 5.6 (what JupyterLab ships) without a warning", async () => {
    for (const spec of [dagSpec(graph), timelineSpec(graph, { now: FIXTURE_NOW })]) {
      const compiled = await compileWith56(spec);
      expect(compiled.errors).toEqual([]);
      expect(compiled.warnings).toEqual([]);
      expect(compiled.spec).toHaveProperty("marks");
    }
  });
});

describe("the DAG spec", () => {
  const spec = dagSpec(fixture("with-failure")) as unknown as Record<string, unknown>;

  it("declares Vega-Lite v5 and turns ARIA off", () => {
    expect(spec.$schema).toBe("https://vega.github.io/schema/vega-lite/v5.json");
    expect(spec.config).toMatchObject({ aria: false });
  });

  it("has one row per node and one per edge segment, the last one with the arrow head", () => {
    const datasets = spec.datasets as { nodes: { name: string }[]; edges: { head: boolean }[] };
    expect(datasets.nodes.map((n) => n.name)).toEqual([
      "add",
      "divide",
      "multiply",
      "add1",
      "multiply1",
    ]);
    expect(datasets.edges.filter((e) => e.head)).toHaveLength(5);
  });
});
