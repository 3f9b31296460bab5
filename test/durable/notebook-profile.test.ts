/**
 * A notebook on a profile whose store is PostgreSQL and whose broker is Redis: under nbclient,
 * the tutorial's three flows are submitted from cells, run on `workgraph worker` processes
 * (homes of their own, as other machines), give 7 and 7; 7 and -7; 16, and each cell's live
 * display, fed from the broker's bus, ends on its run's final state.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { installKernel } from "../../kernel/install.js";
import { nbconvertArgs } from "../support/notebooks.js";
import { startProfileFarm, type ProfileFarm } from "../support/profile-farm.js";
import { usePgSchemas } from "../support/postgres.js";
import { codeCells, joined, type CodeCellOutputs } from "../notebooks/notebook-outputs.js";

const scratch = mkdtempSync(join(tmpdir(), "workgraph-profile-nb-"));
const prefix = join(scratch, "prefix");
const schemas = usePgSchemas();
let farm: ProfileFarm | undefined;

beforeAll(async () => {
  await installKernel({ scope: { kind: "prefix", prefix } });
  farm = await startProfileFarm("redis", schemas.url(), { workers: 2 });
}, 120_000);

afterAll(async () => {
  await farm?.dispose();
  rmSync(scratch, { recursive: true, force: true });
});

const CELLS = [
  `import { task, submit, loadProfile, waitFor, orm, WorkGraphImperativeEngine } from "workgraph";
loadProfile("farm").storage`,
  `const add = task.job(function add(x: number, y: number) {
  return x + y;
});
const multiply = task.job(function multiply(x: number, y: number) {
  return x * y;
});
async function addMultiply(x: number, y: number) {
  const a = add(x, y);
  const b = multiply(1, a.result);
  return { sum: a.result, product: b.result };
}
async function addThenBranch(x: number, y: number) {
  const a = add(x, y);
  await waitFor(a);
  const m = a.result.value > 10 ? multiply(1, a.result) : multiply(-1, a.result);
  return { sum: a.result, multiply: m.result };
}
async function keepDoubling(x: number, y: number) {
  let outputs = add(x, y);
  await waitFor(outputs);
  while (outputs.result.value < 10) {
    const outputs1 = add(outputs.result, 1);
    outputs = multiply(outputs1.result, 2);
    await waitFor(outputs);
  }
  return { sum: outputs.result };
}`,
  `const first = submit(WorkGraphImperativeEngine, {
  inputs: { workgraph_data: { name: "add_multiply", flow: addMultiply,
                              function_inputs: { x: orm.Int(3), y: orm.Int(4) } } },
});
const r1 = await first;
[first.pk, r1.sum.value, r1.product.value]`,
  `const second = submit(WorkGraphImperativeEngine, {
  inputs: { workgraph_data: { name: "add_then_branch", flow: addThenBranch,
                              function_inputs: { x: orm.Int(3), y: orm.Int(4) } } },
});
const r2 = await second;
[second.pk, r2.sum.value, r2.multiply.value]`,
  `const third = submit(WorkGraphImperativeEngine, {
  inputs: { workgraph_data: { name: "keep_doubling", flow: keepDoubling,
                              function_inputs: { x: orm.Int(3), y: orm.Int(4) } } },
});
const r3 = await third;
[third.pk, r3.sum.value]`,
];

function notebook(cells: readonly string[]): string {
  return JSON.stringify({
    nbformat: 4,
    nbformat_minor: 5,
    metadata: {
      kernelspec: {
        name: "workgraph",
        display_name: "TypeScript (workgraph)",
        language: "typescript",
      },
    },
    cells: cells.map((source, i) => ({
      cell_type: "code",
      id: `cell-${i}`,
      metadata: {},
      execution_count: null,
      outputs: [],
      source,
    })),
  });
}

function result(cell: CodeCellOutputs | undefined): string {
  return joined(
    cell?.outputs.find((o) => o.output_type === "execute_result")?.data?.["text/plain"],
  );
}

function finalDisplay(cell: CodeCellOutputs | undefined): string {
  const displays = (cell?.outputs ?? []).filter((o) => o.output_type === "display_data");
  expect(displays).toHaveLength(1);
  return joined(displays[0]?.data?.["text/plain"]);
}

describe("a notebook on a PostgreSQL/Redis profile (nbclient)", () => {
  it("submits the tutorial's three flows to the profile's workers; displays end on the final states", async () => {
    const file = join(scratch, "farm.ipynb");
    writeFileSync(file, notebook(CELLS));
    const executed = spawnSync(
      "/usr/bin/jupyter",
      nbconvertArgs(scratch, "farm.out.ipynb", file, 240),
      {
        env: {
          ...process.env,
          JUPYTER_PATH: join(prefix, "share", "jupyter"),
          WORKGRAPH_HOME: farm!.home,
        },
        encoding: "utf8",
        cwd: scratch,
      },
    );
    expect(executed.status, executed.stderr + executed.stdout).toBe(0);
    const cells = codeCells(join(scratch, "farm.out.ipynb"));
    for (const cell of cells) {
      expect(
        cell.outputs.filter((o) => o.output_type === "error"),
        cell.source,
      ).toEqual([]);
    }
    expect(result(cells[0])).toBe("'postgresql'");
    const values = [2, 3, 4].map((i) => JSON.parse(result(cells[i]).replace(/ /g, "")) as number[]);
    const [[pk1, sum1, product], [pk2, sum2, branched], [pk3, doubled]] = values as [
      number[],
      number[],
      number[],
    ];
    expect([sum1, product]).toEqual([7, 7]);
    expect([sum2, branched]).toEqual([7, -7]);
    expect(doubled).toBe(16);
    expect(finalDisplay(cells[2])).toBe("add_multiply: 2 tasks, 2 FINISHED");
    expect(finalDisplay(cells[3])).toBe("add_then_branch: 2 tasks, 2 FINISHED");
    expect(finalDisplay(cells[4])).toBe("keep_doubling: 3 tasks, 3 FINISHED");
    // the profile's workers ran them, and the PostgreSQL store has them
    // a worker of the profile started and ended each run (spawnSync held this process's
    // event loop, so their lines are read now)
    for (const pk of [pk1, pk2, pk3]) {
      const ended = await Promise.any(
        farm!.workers.map(async (w) => {
          await w.waitForLine(new RegExp(`run ${pk} ended FINISHED`), 30_000);
          return w;
        }),
      );
      expect(ended.lines.some((l) => new RegExp(`(starting|continuing) run ${pk} `).test(l))).toBe(
        true,
      );
    }
    expect([pk1, pk2, pk3].map((pk) => farm!.store.node(pk!)?.state)).toEqual([
      "FINISHED",
      "FINISHED",
      "FINISHED",
    ]);
  }, 600_000);
});
