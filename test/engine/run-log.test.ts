/**
 * The `log` option of run(): every report line, the run's own lines only, none, or a function;
 * a value it does not know is refused naming the option; what a job prints shows at any level.
 */
import { afterEach, describe, expect, it } from "vitest";
import { createJobPool } from "../../engine/execute/job-pool.js";
import { MemoryStore, run, task, type ReportLine } from "../../engine/index.js";
import { setDefaultLog } from "../../engine/plumbing.js";

const add = task(function add(x: number, y: number) {
  return x + y;
});
const shout = task.job(function shout(x: number) {
  console.log(`x is ${x}`);
  return x;
});

async function addTwice(x: number) {
  const a = add(x, 1);
  return { b: add(a.result, 1).result };
}

async function loud(x: number) {
  return { y: shout(x).result };
}

/** Runs `flow` with `log`, collecting what reaches the default sink. */
async function linesOf(
  flow: (x: number) => Promise<unknown>,
  log: unknown,
  jobs = createJobPool({ size: 1 }),
): Promise<ReportLine[]> {
  const lines: ReportLine[] = [];
  setDefaultLog(() => (line) => lines.push(line));
  try {
    await run(flow, { x: 1 }, { store: new MemoryStore(), log: log as never, jobs });
  } finally {
    await jobs.close();
  }
  return lines;
}

afterEach(() => setDefaultLog(() => undefined));

describe("the log option", () => {
  it('"tasks" (and the default) gives every line; "summary" leaves out lines about single tasks', async () => {
    const every = await linesOf(addTwice, "tasks");
    const byDefault = await linesOf(addTwice, undefined);
    const summary = await linesOf(addTwice, "summary");
    const steps = (lines: ReportLine[]) => lines.map((l) => l.step);
    expect(steps(every)).toContain("update_task_state");
    expect(steps(byDefault)).toEqual(steps(every));
    expect(steps(summary)).not.toContain("update_task_state");
    expect(steps(summary)).not.toContain("continue_workgraph");
    expect(steps(summary)).toContain("finalize");
    expect(summary.length).toBeLessThan(every.length);
  });

  it("false keeps the report quiet, but what a job prints still shows", async () => {
    const lines = await linesOf(loud, false);
    expect(lines.map((l) => [l.task?.name, l.message])).toEqual([["shout", "x is 1"]]);
  });

  it("refuses a level it does not know, naming the option", () => {
    expect(() => run(addTwice, { x: 1 }, { log: "everything" as never })).toThrow(/log/);
  });
});

describe("a batch's line", () => {
  it("names the first 12 tasks of a large batch and counts the rest", async () => {
    async function fanOut() {
      const parts = [];
      for (let i = 0; i < 20; i++) parts.push(add(i, 1).result);
      return { parts };
    }
    const fanned = run(fanOut, {}, { store: new MemoryStore(), log: false });
    await fanned.done;
    const first = ["add", ...Array.from({ length: 11 }, (_, i) => `add${i + 1}`)];
    expect(fanned.reports.find((l) => l.step === "continue_workgraph")?.message).toBe(
      `tasks ready to run: ${first.join(", ")}, … and 8 more`,
    );
  });
});
