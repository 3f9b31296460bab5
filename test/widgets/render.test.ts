import { describe, expect, it } from "vitest";
import { dagBundle, dagSpec, renderSvg, textWidth, timelineBundle } from "../../widgets/index.js";
import { roundNumbers } from "../../widgets/render/round-numbers.js";
import { prefixIds } from "../../widgets/render/unique-ids.js";
import { fixture, FIXTURE_NOW, FIXTURES } from "./support/fixtures.js";

describe("the SVG of a DAG", () => {
  it.each(FIXTURES)("of %s holds every task's label", async (name) => {
    const graph = fixture(name);
    const svg = await renderSvg(dagSpec(graph));
    expect(svg.startsWith("<svg")).toBe(true);
    for (const task of graph.tasks) expect(svg).toContain(`>${task.name}</text>`);
  });

  it("cuts a label too long for its box, measured with the glyph table", async () => {
    const graph = {
      name: "long",
      tasks: [{ id: 0, name: "a_very_long_task_name_that_cannot_fit" }],
      edges: [],
    };
    const svg = await renderSvg(dagSpec(graph));
    expect(svg).toMatch(/>a_very_long_task_n[a-z_]*…<\/text>/);
  });

  it("gives two charts different ids, so one page can hold both", async () => {
    const spec = dagSpec(fixture("add-multiply"));
    const [a, b] = await Promise.all([renderSvg(spec), renderSvg(spec)]);
    const ids = (svg: string) => [...svg.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]);
    expect(ids(a).length).toBeGreaterThan(0);
    expect(ids(a).filter((id) => ids(b).includes(id))).toEqual([]);
  });
});

describe("MIME bundles", () => {
  it("carry the Vega-Lite spec, an SVG and a summary, and no HTML", async () => {
    const bundle = await dagBundle(fixture("add-multiply"));
    expect(Object.keys(bundle).sort()).toEqual([
      "application/vnd.vegalite.v5+json",
      "image/svg+xml",
      "text/plain",
    ]);
    expect(bundle["text/plain"]).toBe("add_multiply: 2 tasks, 2 FINISHED");
    const timeline = await timelineBundle(fixture("with-failure"), { now: FIXTURE_NOW });
    expect(timeline["text/plain"]).toBe(
      "with_failure: 5 tasks, 2 FINISHED, 1 FAILED, 2 SKIPPED (timeline)",
    );
    expect(timeline["image/svg+xml"]).toContain("seconds since the run began");
  });
});

describe("text widths", () => {
  it("tell narrow letters from wide ones, as a browser's sans-serif does", () => {
    expect(textWidth("iiii", 10)).toBeCloseTo(8.88);
    expect(textWidth("WWWW", 10)).toBeCloseTo(37.76);
    expect(textWidth("日本", 10)).toBe(20);
  });
});

describe("prefixIds", () => {
  it("renames ids and every reference to them, and nothing else", () => {
    const svg =
      '<svg><clipPath id="clip1"/><g clip-path="url(#clip1)"/><use href="#clip1"/><g clip-path="url(#other)"/></svg>';
    expect(prefixIds(svg, "p-")).toBe(
      '<svg><clipPath id="p-clip1"/><g clip-path="url(#p-clip1)"/><use href="#p-clip1"/><g clip-path="url(#other)"/></svg>',
    );
  });
});

describe("roundNumbers", () => {
  it("rounds coordinates in attributes to two decimals, and leaves text alone", () => {
    const svg =
      '<line transform="translate(41.952000000000005,159.4)" x2="3.0719999"/><text>v1.23456</text>';
    expect(roundNumbers(svg)).toBe(
      '<line transform="translate(41.95,159.4)" x2="3.07"/><text>v1.23456</text>',
    );
  });
});
