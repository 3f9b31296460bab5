/**
 * What a job prints with `console`: it reaches the pool (not the worker's stdout), becomes report
 * lines that name the task, goes under the cell that started the run, and is stored with the
 * task, so `process report`, `node show` and archives keep it. Real worker processes, a real
 * SQLite profile, the built CLI.
 */
import { afterAll, describe, expect, it } from "vitest";
import type { JobOutput } from "../../../engine/execute/executor.js";
import { createJobPool } from "../../../engine/execute/job-pool.js";
import type { ProcessNode } from "../../../engine/index.js";
import { orm, run, task, type ReportLine } from "../../../engine/index.js";
import { buildArchive } from "../../../engine/store/archive/export-archive.js";
import { openProfile } from "../../../engine/store/open-profile.js";
import { Cell } from "../../../kernel/runtime/cell.js";
import { createCellOutput } from "../../../kernel/runtime/cell-output.js";
import { runInCell } from "../../../kernel/runtime/cell-storage.js";
import { CommRegistry } from "../../../kernel/runtime/comms.js";
import { summaryBundles } from "../../../kernel/runtime/run-summary.js";
import { setDefaultLog } from "../../../engine/plumbing.js";
import { currentCell } from "../../../kernel/runtime/cell-storage.js";
import { RecordingOutbox, request } from "../../kernel/support/messages.js";
import { workgraphCli } from "../../cli/support/workgraph-cli.js";
import { useTempHome } from "../../support/temp-home.js";

const home = useTempHome();
const pool = createJobPool({ size: 1 });
afterAll(() => pool.close());

const chatty = task.job(function chatty(x: number) {
  console.log("got", x, { twice: x * 2 });
  console.error(`trouble with ${x}\nsecond line`);
  return x + 1;
});

async function talk(x: number) {
  return { y: chatty(x).result };
}

describe("console output of a job", () => {
  it("reaches the pool as the job's output, formatted as console would", async () => {
    const outputs: JobOutput[] = [];
    const source = chatty.definition.source ?? "";
    const value = await pool.run({
      taskName: "chatty",
      source,
      args: [2],
      onOutput: (o) => outputs.push(o),
    });
    expect(value).toBe(3);
    expect(outputs).toEqual([
      { method: "log", text: "got 2 { twice: 4 }" },
      { method: "error", text: "trouble with 2\nsecond line" },
    ]);
  });

  it("is stored with the task and shown by process report and node show", async () => {
    const lines: ReportLine[] = [];
    const { store } = openProfile("printing");
    const started = run(talk, { x: 5 }, { store, jobs: pool, log: (l) => lines.push(l) });
    const results = await started;
    expect(results.y.value).toBe(6);
    const printed = lines.filter((l) => l.task !== undefined);
    const taskPk = started.tasks[0]?.pk ?? -1;
    expect(printed.map((l) => [l.level, l.step, l.message])).toEqual([
      ["REPORT", "console.log", "got 5 { twice: 10 }"],
      ["ERROR", "console.error", "trouble with 5"],
      ["ERROR", "console.error", "second line"],
    ]);
    expect(printed[0]?.text).toMatch(
      new RegExp(
        `^\\d{4}-\\d\\d-\\d\\d [\\d:.]+ \\[REPORT\\] \\[${taskPk}\\|chatty\\|console\\.log\\]: got 5`,
      ),
    );
    // the run's own report keeps only the engine's lines
    const stored = orm.load(taskPk, { store }) as ProcessNode;
    expect(stored.printed().map((l) => l.text)).toEqual(printed.map((l) => l.text));
    expect(stored.reports().map((l) => l.message)).toContain("second line");
    const runNode = orm.load(started.pk, { store }) as ProcessNode;
    expect(runNode.reports().some((l) => l.message === "second line")).toBe(false);
    const archive = buildArchive(store, [started.pk]);
    expect(archive.reports.filter((r) => r.message === "trouble with 5")).toHaveLength(1);
    store.close();

    const report = await workgraphCli(
      home.path,
      "process",
      "report",
      String(taskPk),
      "-p",
      "printing",
    );
    expect(report.code).toBe(0);
    expect(report.stdout).toContain(`[${taskPk}|chatty|console.log]: got 5 { twice: 10 }`);
    const show = await workgraphCli(home.path, "node", "show", String(taskPk), "-p", "printing");
    expect(show.stdout).toMatch(
      /\nPrinted\n.*console\.log\]: got 5.*\n.*\[ERROR\] .*console\.error\]: trouble with 5\n/,
    );
  });

  it("goes under the cell that started the run: log to its log display, error to stderr", async () => {
    setDefaultLog(() => currentCell()?.reportLog);
    try {
      const outbox = new RecordingOutbox();
      const parent = request("execute_request");
      const output = createCellOutput(outbox, parent.header, false);
      const comms = new CommRegistry(outbox, () => parent.header);
      const cell = new Cell(parent.header, output, comms, { bundles: summaryBundles() });
      const { store } = openProfile("cell");
      await runInCell(cell, () => run(talk, { x: 1 }, { store, jobs: pool }));
      await cell.settle(1000);
      cell.output.flush();
      store.close();
      expect(outbox.log(parent)).toMatch(/\|chatty\|console\.log\]: got 1 \{ twice: 2 \}\n/);
      const stderr = outbox
        .for(parent)
        .filter((m) => m.msgType === "stream" && m.content.name === "stderr")
        .map((m) => String(m.content.text))
        .join("");
      expect(stderr).toMatch(/\[ERROR\] \[\d+\|chatty\|console\.error\]: trouble with 1\n/);
      expect(stderr).toMatch(/console\.error\]: second line\n/);
    } finally {
      setDefaultLog(() => undefined);
    }
  });
});
