/**
 * A flow submitted from a notebook cell outlives the kernel: it runs in the daemon, its cell's
 * display goes on updating after the cell returned (under nbclient and `run-notebook`), and a
 * new kernel loads the finished run with `orm.load(pk)`.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { SqliteStore } from "../../engine/store/sqlite/sqlite-store.js";
import { waitForGroupGone } from "../support/daemon.js";
import { codeCells, joined, type CodeCellOutputs } from "../notebooks/notebook-outputs.js";
import {
  executeWithNbclient,
  executeWithRunNotebook,
  notebookJson,
  useNotebookScratch,
} from "../support/notebooks.js";
import { isAlive } from "../support/processes.js";

const scratch = useNotebookScratch("workgraph-submit-nb-", {
  // the daemon the notebooks' submissions started
  cleanup: async () => {
    try {
      const pid = Number(readFileSync(join(home, "default", "daemon.pid"), "utf8").trim());
      if (isAlive(pid)) {
        process.kill(-pid, "SIGKILL");
        await waitForGroupGone(pid);
      }
    } catch {
      // no daemon was left
    }
  },
});
const home = scratch.home;

const SUBMIT_CELLS = [
  `import { task, submit } from "workgraph";`,
  `const step = task.job(async function step(i: number, acc: number, ms: number) {
  await new Promise((resolve) => setTimeout(resolve, ms));
  return acc + i;
});
const base = { start: 0 };
async function chain(n: number, ms: number) {
  let acc: unknown = base.start;
  for (let i = 1; i <= n; i++) acc = step(i, acc as number, ms).result;
  return { total: acc };
}`,
  `const watched = submit(chain, { n: 4, ms: 400 });
watched.pk`,
  `const held = task.job(async function held(flag: string, acc: number) {
  const fs = require("node:fs");
  while (!fs.existsSync(flag)) await new Promise((resolve) => setTimeout(resolve, 50));
  return acc + 11;
});
async function outlive(flag: string) {
  const first = step(1, 0, 10);
  return { total: held(flag, first.result).result };
}
const outlives = submit(outlive, { flag: FLAG });
outlives.pk`,
  `const done = await watched;
done.total.value`,
];

function execute(tool: "nbclient" | "run-notebook", file: string): CodeCellOutputs[] {
  const out = file.replace(/\.ipynb$/, `.${tool}.ipynb`);
  const cwd = scratch.folder;
  const result =
    tool === "nbclient"
      ? executeWithNbclient(scratch, file, out.split("/").at(-1) as string, { cwd })
      : executeWithRunNotebook(scratch, [file, "--out", out], { cwd });
  expect(result.status, result.stderr + result.stdout).toBe(0);
  const cells = codeCells(out);
  for (const cell of cells) {
    expect(
      cell.outputs.filter((o) => o.output_type === "error"),
      cell.source,
    ).toEqual([]);
  }
  return cells;
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

describe.each(["nbclient", "run-notebook"] as const)("submit() from a notebook (%s)", (tool) => {
  it("runs in the daemon, keeps its display live after the cell, and outlives the kernel", async () => {
    const file = join(scratch.folder, `submit-${tool}.ipynb`);
    // the second run waits for this file: it is still going when the kernel has shut down
    const flag = join(scratch.folder, `release-${tool}`);
    writeFileSync(
      file,
      notebookJson(SUBMIT_CELLS.map((c) => c.replace("FLAG", JSON.stringify(flag)))),
    );
    const cells = execute(tool, file);
    const watchedPk = Number(result(cells[2]));
    const outlivesPk = Number(result(cells[3]));
    expect(watchedPk).toBeGreaterThan(0);
    expect(result(cells[4])).toBe("10");
    // the cell returned at once; its display went on to the final state
    expect(finalDisplay(cells[2])).toBe("chain: 4 tasks, 4 FINISHED");
    const store = new SqliteStore(join(home, "default", "workgraph.sqlite"));
    try {
      // the kernel is gone, the run goes on in the daemon
      expect(store.node(outlivesPk)?.state).toMatch(/RUNNING|WAITING/);
      writeFileSync(flag, "go");
      const load = join(scratch.folder, `load-${tool}.ipynb`);
      writeFileSync(
        load,
        notebookJson([
          `import { orm, type FollowedRunNode } from "workgraph";`,
          `const node = orm.load(${outlivesPk}) as FollowedRunNode;
const results = (await node.result()) as unknown as Record<string, { value: number }>;
[node.state, results.total?.value]`,
        ]),
      );
      const loaded = execute(tool, load);
      expect(result(loaded[1])).toBe("[ 'FINISHED', 12 ]");
      expect(store.node(outlivesPk)?.state).toBe("FINISHED");
    } finally {
      store.close();
    }
  }, 180_000);
});
