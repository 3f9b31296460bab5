/**
 * The notebooks in notebooks/ run without error under Jupyter's nbclient (Debian's nbconvert)
 * with the workgraph kernel, and under `workgraph run-notebook`; their outputs say what the
 * tutorial says; and the outputs committed with them are what the current code produces.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { installKernel } from "../../kernel/install.js";
import { root } from "../support/built.js";
import { nbconvertArgs } from "../support/notebooks.js";
import {
  codeCells,
  isLog,
  joined,
  normalCell,
  streamText,
  type CodeCellOutputs,
} from "./notebook-outputs.js";

const NOTEBOOKS = [
  "imperative-workflow",
  "provenance",
  "failures-and-control",
  "declarative-and-nested",
  "first-hour",
  "shell-and-handlers",
] as const;
type Name = (typeof NOTEBOOKS)[number];
const VEGA_LITE = "application/vnd.vegalite.v5+json";

const scratch = mkdtempSync(join(tmpdir(), "workgraph-notebooks-"));
const prefix = join(scratch, "prefix");
const env = {
  ...process.env,
  JUPYTER_PATH: join(prefix, "share", "jupyter"),
  WORKGRAPH_HOME: join(scratch, "home"),
};

beforeAll(async () => {
  await installKernel({ scope: { kind: "prefix", prefix } });
});

function executeWithNbclient(name: Name): CodeCellOutputs[] {
  const result = spawnSync(
    "/usr/bin/jupyter",
    nbconvertArgs(scratch, `${name}.nbclient.ipynb`, join(root, "notebooks", `${name}.ipynb`), 300),
    { env, encoding: "utf8" },
  );
  expect(result.status, result.stderr).toBe(0);
  return codeCells(join(scratch, `${name}.nbclient.ipynb`));
}

function executeWithRunNotebook(name: Name): { cells: CodeCellOutputs[]; html: string } {
  // folders that do not exist yet: run-notebook makes them
  const out = join(scratch, "executed", `${name}.ipynb`);
  const page = join(scratch, "pages", `${name}.html`);
  const result = spawnSync(
    process.execPath,
    [
      join(root, "dist", "cli", "main.js"),
      "run-notebook",
      join(root, "notebooks", `${name}.ipynb`),
      "--out",
      out,
      "--html",
      page,
    ],
    { env, encoding: "utf8" },
  );
  expect(result.status, result.stderr + result.stdout).toBe(0);
  return { cells: codeCells(out), html: readFileSync(page, "utf8") };
}

/** The one display of a cell that ran a flow (its log aside), and its final bundle. */
function runDisplay(cell: CodeCellOutputs): Record<string, unknown> {
  const displays = cell.outputs.filter((o) => o.output_type === "display_data" && !isLog(o));
  expect(displays, cell.source).toHaveLength(1);
  const data = displays[0]?.data ?? {};
  expect(Object.keys(data).sort()).toEqual([VEGA_LITE, "image/png", "image/svg+xml", "text/plain"]);
  expectPng(data["image/png"]);
  expect(joined(data["text/plain"])).not.toMatch(/RUNNING|PLANNED/);
  expect(JSON.stringify(data[VEGA_LITE])).toContain("vega-lite/v5");
  expect(joined(data["image/svg+xml"])).toMatch(/^<svg/);
  return data;
}

/** A base64 PNG of a sensible size: at least a few pixels, at most 1600 wide. */
function expectPng(value: unknown): void {
  const png = Buffer.from(joined(value), "base64");
  expect(png.subarray(0, 8).toString("hex")).toBe("89504e470d0a1a0a");
  const width = png.readUInt32BE(16);
  const height = png.readUInt32BE(20);
  expect(width).toBeGreaterThan(50);
  expect(width).toBeLessThanOrEqual(1600);
  expect(height).toBeGreaterThan(20);
}

function result(cell: CodeCellOutputs): string {
  return joined(cell.outputs.find((o) => o.output_type === "execute_result")?.data?.["text/plain"]);
}

function expectNoErrors(cells: readonly CodeCellOutputs[]): void {
  for (const cell of cells) {
    expect(
      cell.outputs.filter((o) => o.output_type === "error"),
      cell.source,
    ).toEqual([]);
  }
}

function cellWith(cells: readonly CodeCellOutputs[], text: string): CodeCellOutputs {
  const cell = cells.find((c) => c.source.includes(text));
  if (cell === undefined) throw new Error(`no cell with ${text}`);
  return cell;
}

/** What each notebook must show, whoever executed it. */
const checks: Record<Name, (cells: CodeCellOutputs[]) => void> = {
  "imperative-workflow": (cells) => {
    const simplest = cellWith(cells, 'name: "add_multiply"');
    expect(result(simplest)).toMatch(
      /sum: <Int: uuid: \S+ \(pk: \d+\) value: 7>,\s+product: <Int: uuid: \S+ \(pk: \d+\) value: 7>/,
    );
    expect(streamText(simplest)).toContain(
      "|WorkGraphImperativeEngine|update_task_state]: Task: add, type: job, finished.",
    );
    expect(joined(runDisplay(simplest)["text/plain"])).toBe("add_multiply: 2 tasks, 2 FINISHED");
    const branch = cellWith(cells, 'name: "add_then_branch"');
    expect(result(branch)).toMatch(/value: 7>[\s\S]*value: -7>/);
    expect(joined(runDisplay(branch)["text/plain"])).toBe("add_then_branch: 2 tasks, 2 FINISHED");
    const loop = cellWith(cells, 'name: "keep_doubling"');
    expect(result(loop)).toMatch(/sum: <Int: uuid: \S+ \(pk: \d+\) value: 16>/);
    expect(joined(runDisplay(loop)["text/plain"])).toBe("keep_doubling: 3 tasks, 3 FINISHED");
    expect(joined(runDisplay(loop)["image/svg+xml"])).toContain("add1");
    const many = cellWith(cells, "fanOut(n: number)");
    expect(streamText(many)).toContain("10,001 tasks, total 50005000");
    expect(joined(runDisplay(many)["image/svg+xml"])).toContain("inc ×10,000");
  },
  provenance: (cells) => {
    const stored = cellWith(cells, "stored.tasks()");
    expect(streamText(stored)).toBe(
      "add (FINISHED): x=3, y=4 -> result=7\nmultiply (FINISHED): x=7, y=2 -> result=14\n",
    );
    const resume = cellWith(cells, "resume: failed.pk");
    expect(streamText(resume)).toContain("resumed: 250");
    expect(streamText(resume)).toMatch(
      /step: reused pk \d+\n(step\d: reused pk \d+\n){4}risky: ran\nstep5: ran\n/,
    );
    const cache = cellWith(cells, "cache: true");
    expect(streamText(cache)).toContain("slowSquare ran 7 times for 12 calls");
  },
  "first-hour": (cells) => {
    const shrink = cellWith(cells, "async function shrink");
    expect(streamText(shrink)).toMatch(/\[\d+\|square\|console\.log\]: squaring 7\n/);
    expect(streamText(shrink)).toContain("6 is even after 5 tasks");
    expect(streamText(shrink)).not.toContain("update_task_state");
    expect(joined(runDisplay(shrink)["text/plain"])).toBe("shrink: 5 tasks, 5 FINISHED");
    const careful = cellWith(cells, "async function careful");
    expect(streamText(careful)).toContain("caught: mustBePositive failed");
    expect(streamText(careful)).toContain("value 9; run FINISHED, exit code 2");
    expect(result(careful)).toBe("[ 'mustBePositive: FAILED', 'square: FINISHED' ]");
    const stored = cellWith(cells, "orm.load(first.pk) as ProcessNode");
    expect(streamText(stored)).toContain('label (FINISHED): in {"x":6,"kind":"even"}');
    expect(streamText(stored)).toContain("[ 'squaring 7' ]");
    const drawn = runDisplay(cellWith(cells, "display(orm.load(first.pk))"));
    expect(joined(drawn["text/plain"])).toMatch(
      /^<Run shrink: uuid: \S+ \(pk: \d+\) FINISHED \[0\]>$/,
    );
    expect(joined(drawn["image/svg+xml"])).toContain("halve2");
  },
  "failures-and-control": (cells) => {
    const failing = cellWith(cells, "parseAndDouble");
    expect(streamText(failing)).toContain(
      "parse: FINISHED\nparse1: FAILED\ndouble: SKIPPED\nrun: EXCEPTED, exit code 2",
    );
    expect(streamText(cellWith(cells, "parseWithFallback"))).toContain(
      "value: 0; run FINISHED, exit code 2",
    );
    expect(result(cellWith(cells, "flaky()"))).toBe("'answered on attempt 3'");
    expect(streamText(cellWith(cells, "endless()"))).toContain(
      "Task endless timed out after 500 ms",
    );
    expect(streamText(cellWith(cells, "long.cancel"))).toContain("run: KILLED, exit code 130");
    expect(result(cellWith(cells, "long.cancel"))).toBe(
      "[ 'nap: KILLED', 'nap1: KILLED', 'gather: KILLED' ]",
    );
  },
  "declarative-and-nested": (cells) => {
    const built = cellWith(cells, 'new WorkGraph("add_multiply")');
    expect(streamText(built)).toContain(
      "add, mul\ninputs.x -> add.x\ninputs.y -> add.y\nadd.result -> mul.x",
    );
    const drawn = built.outputs.find((o) => o.output_type === "execute_result")?.data ?? {};
    expect(joined(drawn["text/plain"])).toBe("WorkGraph add_multiply: 2 tasks, 3 links");
    const planned = drawn[VEGA_LITE] as { datasets: { nodes: { state: string }[] } };
    expect(planned.datasets.nodes.map((n) => n.state)).toEqual(["PLANNED", "PLANNED"]);
    const ran = cellWith(cells, "await wg.run({ x: 3, y: 4 })");
    expect(result(ran)).toMatch(/sum: <Int: [^>]+ value: 7>,\s+product: <Int: [^>]+ value: 7>/);
    expect(joined(runDisplay(ran)["text/plain"])).toBe("add_multiply: 2 tasks, 2 FINISHED");
    const branch = cellWith(cells, 'new WorkGraph("add_then_branch")');
    expect(result(branch)).toMatch(
      /sum: <Int: [^>]+ value: 7>,\s+multiply: <Int: [^>]+ value: -7>/,
    );
    const nested = cellWith(cells, "async function outer");
    expect(streamText(nested)).toContain(
      "total: 114\naddThenDouble: flow, FINISHED\nadd: job, FINISHED",
    );
    expect(joined(runDisplay(nested)["text/plain"])).toBe("outer: 2 tasks, 2 FINISHED");
    const mixed = cellWith(cells, 'new WorkGraph("mixed")');
    expect(streamText(mixed)).toContain(
      "sum: 7\naddThenDouble: flow, FINISHED\nadd_multiply: flow, FINISHED",
    );
    expect(streamText(cellWith(cells, "minMax"))).toMatch(/max: 9\n[\s\S]*low: 2/);
  },
  "shell-and-handlers": (cells) => {
    const sorted = cellWith(cells, "async function sortAndCount");
    expect(streamText(sorted)).toBe("pear\nfig\napple; rm -rf /\n\nwords: 6\n");
    expect(joined(runDisplay(sorted)["text/plain"])).toBe("sortAndCount: 2 tasks, 2 FINISHED");
    expect(streamText(cellWith(cells, "async function lookForKiwi"))).toBe(
      "grep: FAILED, exit code 1: Task grep: grep exited with code 1\ngrepOk: exit code 1, count 0\n",
    );
    const relaxed = streamText(cellWith(cells, "async function relaxFlow"));
    expect(relaxed).toContain(
      "energy: -0.025\nTask: relax failed (exit code 3, TaskExitError: not converged after 10 steps); more steps: retry with steps=20.\n",
    );
    expect(relaxed).toContain("FINISHED { steps: 10, 'attempt2.steps': 20, 'attempt3.steps': 40 }");
    expect(streamText(cellWith(cells, "async function firstAccepted"))).toBe("accepted 3\n");
    expect(streamText(cellWith(cells, "async function squareStats"))).toBe(
      "mean: 4.666666666666667 last: 9\n{ sq_0: 0, sq_1: 1, sq_2: 4, sq_3: 9 }\n",
    );
    expect(streamText(cellWith(cells, 'new WorkGraph("square_stats")'))).toContain(
      "squares.sq_1 -> describe.values[0]\n",
    );
    expect(streamText(cellWith(cells, ".median"))).toBe(
      'task describe has no output "stats.median"; its outputs are: stats.mean, stats.sd\n',
    );
  },
};

describe.each(NOTEBOOKS)("notebooks/%s.ipynb", (name) => {
  it("runs under nbclient with the workgraph kernel, and shows what it should", () => {
    const cells = executeWithNbclient(name);
    expectNoErrors(cells);
    checks[name](cells);
  }, 300_000);

  it("runs under workgraph run-notebook, its committed outputs are current, and its page is self-contained", () => {
    const { cells, html } = executeWithRunNotebook(name);
    expectNoErrors(cells);
    checks[name](cells);
    const committed = codeCells(join(root, "notebooks", `${name}.ipynb`));
    expect(
      committed.map(normalCell),
      "committed outputs are stale: run `npm run notebooks`",
    ).toEqual(cells.map(normalCell));
    expect(html).not.toMatch(/<script[^>]+src=|https?:\/\/cdn/);
    expect(html).toContain("vegaEmbed(");
  }, 300_000);
});
