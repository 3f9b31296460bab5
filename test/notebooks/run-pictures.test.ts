/**
 * Runs drawn again after they ran, under Jupyter's nbclient with the workgraph kernel:
 * `display(run)`, a bare `run` as a cell's last expression and `display(orm.load(pk))` show the
 * run's DAG (Vega-Lite v5, SVG, PNG, text); `run.timeline()` its timeline; a job's console
 * output lands under the cell that started the run.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { executeWithNbclient, notebookJson, useNotebookScratch } from "../support/notebooks.js";
import { codeCells, joined, streamText, type NotebookOutput } from "./notebook-outputs.js";

const VEGA_LITE = "application/vnd.vegalite.v5+json";
const scratch = useNotebookScratch("workgraph-run-pictures-");

const CELLS = [
  `import { run, task, orm, display } from "workgraph";
const inc = task.job(function inc(x: number) {
  console.log("inc got", x);
  return x + 1;
});
async function twice(x: number) {
  const a = inc(x);
  return { b: inc(a.result).result };
}
const first = run(twice, { x: 1 }, { log: false });
await first;
const pk = first.pk;`,
  `display(first);`,
  `first`,
  `display(orm.load(pk));`,
  `display(first.timeline());`,
];

/** The rich bundle of an output: its keys, and a valid PNG of a sensible size. */
function expectPicture(output: NotebookOutput | undefined, text: RegExp): Record<string, unknown> {
  const data = output?.data ?? {};
  expect(Object.keys(data).sort()).toEqual([VEGA_LITE, "image/png", "image/svg+xml", "text/plain"]);
  expect(JSON.stringify(data[VEGA_LITE])).toContain("vega-lite/v5");
  expect(joined(data["image/svg+xml"])).toMatch(/^<svg/);
  const png = Buffer.from(joined(data["image/png"]), "base64");
  expect(png.subarray(1, 4).toString()).toBe("PNG");
  expect(png.readUInt32BE(16)).toBeGreaterThan(50);
  expect(png.readUInt32BE(16)).toBeLessThanOrEqual(1600);
  expect(joined(data["text/plain"])).toMatch(text);
  return data;
}

describe("a run drawn after it ran", () => {
  it("shows its DAG from display(run), a bare run, orm.load(pk), and its timeline on request", () => {
    const file = join(scratch.folder, "pictures.ipynb");
    writeFileSync(file, notebookJson(CELLS, { languageInfo: true }));
    const result = executeWithNbclient(scratch, file, "pictures.out.ipynb");
    expect(result.status, result.stderr).toBe(0);
    const out = join(scratch.folder, "pictures.out.ipynb");
    const [ran, shown, bare, loaded, timeline] = codeCells(out);
    // what the job printed, under the cell that started the run, naming the task
    expect(streamText(ran ?? { source: "", outputs: [] })).toMatch(
      /\[\d+\|inc\|console\.log\]: inc got 1\n[^]*\[\d+\|inc1\|console\.log\]: inc got 2\n/,
    );
    const summary = /^twice \(pk \d+\): FINISHED, 2 tasks, 2 FINISHED$/;
    const dag = expectPicture(
      shown?.outputs.find((o) => o.output_type === "display_data"),
      summary,
    );
    expect(joined(dag["image/svg+xml"])).toContain("inc1");
    expectPicture(
      bare?.outputs.find((o) => o.output_type === "execute_result"),
      summary,
    );
    expectPicture(
      loaded?.outputs.find((o) => o.output_type === "display_data"),
      /^<Run twice: uuid: \S+ \(pk: \d+\) FINISHED \[0\]>$/,
    );
    const drawn = expectPicture(
      timeline?.outputs.find((o) => o.output_type === "display_data"),
      /\(timeline\)$/,
    );
    expect(JSON.stringify(drawn[VEGA_LITE])).toContain("twice: timeline");
  }, 180_000);
});
