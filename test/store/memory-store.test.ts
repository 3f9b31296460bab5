/**
 * The memory store gives back what a run wrote: every report line as it was written (a task's
 * "finished" line is kept as its task and time), links by either end, nodes with their
 * latest state.
 */
import { describe, expect, it } from "vitest";
import { MemoryStore, run, task } from "../../engine/index.js";

const add = task(function add(x: number, y: number) {
  return x + y;
});
const fail = task(function fail(x: number): number {
  throw new Error(`no ${x}`);
});

async function fanOut() {
  const parts = [];
  for (let i = 0; i < 20; i++) parts.push(add(i, 1).result);
  fail(1);
  return { last: parts[19] };
}

describe("the memory store", () => {
  it("gives back every report line of a run as it was written, in order", async () => {
    const store = new MemoryStore();
    const fanned = run(fanOut, {}, { store, log: false });
    await fanned.done;
    const lines = store.reports(fanned.pk);
    expect(lines).toEqual(fanned.reports);
    const finished = lines.filter((l) => l.message.endsWith("finished."));
    expect(finished.map((l) => l.message)).toEqual(
      ["add", ...Array.from({ length: 19 }, (_, i) => `add${i + 1}`)].map(
        (name) => `Task: ${name}, type: in-process, finished.`,
      ),
    );
    const tasks = store.links({ from: fanned.pk }).filter((l) => l.type === "CALL");
    expect(finished.map((l) => l.at)).toEqual(
      tasks.slice(0, 20).map((l) => store.node(l.to)?.endedAt),
    );
    expect(lines.some((l) => l.level === "ERROR" && l.message.includes("no 1"))).toBe(true);
  });

  it("keeps each node's latest state and finds links by either end", async () => {
    const store = new MemoryStore();
    const fanned = run(fanOut, {}, { store, log: false });
    await fanned.done;
    const calls = store.links({ from: fanned.pk });
    expect(calls.filter((l) => l.type === "CALL")).toHaveLength(21);
    const first = store.node(calls[0]?.to ?? 0);
    expect(first).toMatchObject({ type: "task", name: "add", state: "FINISHED" });
    expect(first?.startedAt).toBeTypeOf("number");
    expect(first?.endedAt).toBeGreaterThanOrEqual(first?.startedAt ?? Infinity);
    const failed = store.node(calls[20]?.to ?? 0);
    expect(failed).toMatchObject({ name: "fail", state: "FAILED", error: { message: "no 1" } });
    const inputs = store.links({ to: calls[0]?.to ?? 0 });
    expect(inputs.map((l) => [l.type, l.label])).toEqual([
      ["CALL", "add"],
      ["INPUT", "x"],
      ["INPUT", "y"],
    ]);
  });
});
