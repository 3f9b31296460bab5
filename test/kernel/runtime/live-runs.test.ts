/**
 * Runs started in a cell: report lines go to the cell's log display, one display follows the run by
 * display id and ends on its final state, and an interrupt cancels them. Real engine runs.
 */
import { describe, expect, it } from "vitest";
import { MemoryStore } from "../../../engine/index.js";
import { display, clearOutput, run, task, updateDisplay } from "../../../kernel/notebook.js";
import { registerCommTarget } from "../../../kernel/index.js";
import { Cell } from "../../../kernel/runtime/cell.js";
import { createCellOutput } from "../../../kernel/runtime/cell-output.js";
import { runInCell } from "../../../kernel/runtime/cell-storage.js";
import { CommRegistry } from "../../../kernel/runtime/comms.js";
import { summaryBundles } from "../../../kernel/runtime/run-summary.js";
import { RecordingOutbox, request } from "../support/messages.js";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const add = task(async function add(x: number, y: number) {
  await sleep(30);
  return x + y;
});
const forever = task(function forever(): Promise<number> {
  return new Promise(() => {});
});

async function addMany(x: number, y: number) {
  let a = add(x, y);
  for (let i = 0; i < 4; i++) a = add(a.result, 1);
  return { sum: a.result };
}

function newCell() {
  const outbox = new RecordingOutbox();
  const parent = request("execute_request");
  const comms = new CommRegistry(outbox, () => parent.header);
  const output = createCellOutput(outbox, parent.header, false);
  const cell = new Cell(parent.header, output, comms, { bundles: summaryBundles() });
  return { cell, outbox, parent, sent: () => outbox.for(parent) };
}

describe("runs started in a cell", () => {
  it("log to the cell and show one display, updated in place, ending FINISHED", async () => {
    const { cell, outbox, parent, sent } = newCell();
    const started = runInCell(cell, () =>
      run(addMany, { x: 3, y: 4 }, { store: new MemoryStore() }),
    );
    const results = await started;
    await cell.settle(1000);
    cell.output.flush();
    expect(results.sum.value).toBe(11);
    expect(outbox.log(parent)).toContain("Task: add4, type: in-process, finished.");
    const runDisplay = (m: { content: Record<string, unknown> }) =>
      (m.content.transient as { display_id: string }).display_id.startsWith("workgraph-run-");
    const displays = sent().filter((m) => m.msgType === "display_data" && runDisplay(m));
    const updates = sent().filter((m) => m.msgType === "update_display_data" && runDisplay(m));
    expect(displays).toHaveLength(1);
    const id = (displays[0]?.content.transient as { display_id: string }).display_id;
    expect(id).toBe(`workgraph-run-${started.uuid}`);
    expect(updates.length).toBeGreaterThanOrEqual(1);
    expect(
      updates.every((u) => (u.content.transient as { display_id: string }).display_id === id),
    ).toBe(true);
    expect(String((updates.at(-1)?.content.data as Record<string, string>)["text/plain"])).toMatch(
      /^addMany \(pk \d+\): FINISHED, 5 tasks, 5 FINISHED\n {2}add {3}FINISHED/,
    );
  });

  it("keep an explicit log option", async () => {
    const { cell, outbox, parent } = newCell();
    const lines: string[] = [];
    await runInCell(cell, () =>
      run(addMany, { x: 1, y: 1 }, { store: new MemoryStore(), log: (l) => lines.push(l.text) }),
    );
    await runInCell(cell, () =>
      run(addMany, { x: 1, y: 1 }, { store: new MemoryStore(), log: false }),
    );
    cell.output.flush();
    expect(lines.length).toBeGreaterThan(0);
    expect(outbox.log(parent)).toBe("");
    expect(outbox.stdout(parent)).toBe("");
  });

  it("are cancelled by an interrupt: tasks end KILLED", async () => {
    const { cell } = newCell();
    const started = runInCell(cell, () =>
      run(async () => ({ x: forever() }), {}, { store: new MemoryStore(), log: false }),
    );
    await sleep(20);
    cell.cancelRuns("kernel interrupt");
    const outcome = await started.done;
    expect(outcome.state).toBe("KILLED");
    expect(started.tasks.map((t) => t.state)).toEqual(["KILLED"]);
  });

  it("outside a cell, run() is the engine's", async () => {
    const results = await run(addMany, { x: 0, y: 0 }, { store: new MemoryStore(), log: false });
    expect(results.sum.value).toBe(4);
  });
});

describe("the cell API", () => {
  it("displays, updates by id and clears", () => {
    const { cell, sent } = newCell();
    runInCell(cell, () => {
      display({ "text/markdown": "**a**" }, { id: "d1", metadata: { x: 1 } });
      updateDisplay("d1", "b");
      clearOutput({ wait: true });
    });
    expect(sent().map((m) => [m.msgType, m.content])).toEqual([
      [
        "display_data",
        { data: { "text/markdown": "**a**" }, metadata: { x: 1 }, transient: { display_id: "d1" } },
      ],
      [
        "update_display_data",
        { data: { "text/plain": "b" }, metadata: {}, transient: { display_id: "d1" } },
      ],
      ["clear_output", { wait: true }],
    ]);
  });

  it("registers comm targets only inside a kernel", () => {
    expect(() => registerCommTarget("t", () => {})).toThrow(/only in a workgraph kernel cell/);
    const { cell } = newCell();
    const opened: string[] = [];
    runInCell(cell, () => registerCommTarget("t", (comm) => opened.push(comm.id)));
    expect((cell.comms as CommRegistry).opened("c9", "t", {})).toBe(true);
    expect(opened).toEqual(["c9"]);
  });
});
