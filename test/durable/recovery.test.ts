import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { DaemonHome, groupAlive } from "../support/daemon.js";

const CHAIN = `
import { task } from "WG";
export const step = task.job(async function step(dir, i, acc) {
  const fs = require("node:fs");
  fs.appendFileSync(dir + "/steps.log", "start " + i + " " + Date.now() + "\\n");
  await new Promise((resolve) => setTimeout(resolve, 150));
  fs.appendFileSync(dir + "/steps.log", "end " + i + "\\n");
  return acc + i;
});
export async function chain(dir, steps) {
  let acc = 0;
  for (let i = 1; i <= steps; i++) acc = step(dir, i, acc).result;
  return { total: acc };
}
`;

function counts(dir: string): Map<string, number> {
  const seen = new Map<string, number>();
  for (const line of readFileSync(join(dir, "steps.log"), "utf8").trim().split("\n")) {
    const [what, i] = line.split(" ");
    const key = `${what} ${i}`;
    seen.set(key, (seen.get(key) ?? 0) + 1);
  }
  return seen;
}

async function waitForLine(file: string, line: string, ms = 30_000): Promise<void> {
  const deadline = Date.now() + ms;
  for (;;) {
    let text = "";
    try {
      text = readFileSync(file, "utf8");
    } catch {
      // not written yet
    }
    if (text.split("\n").includes(line)) return;
    if (Date.now() > deadline) throw new Error(`no line "${line}" in ${file}: ${text}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

let home: DaemonHome | undefined;
afterEach(async () => {
  await home?.dispose();
  home = undefined;
});

describe("a daemon killed mid-run", () => {
  it("is continued by the next daemon: finished steps are kept, the run stays one run", async () => {
    home = new DaemonHome();
    home.writeModule("chain.mjs", CHAIN);
    const submitted = await home.cli(
      "submit",
      "./chain.mjs#chain",
      "--input",
      `dir=${JSON.stringify(home.path)}`,
      "--input",
      "steps=20",
    );
    expect(submitted.stderr).toMatch(/Started the workgraph daemon of profile default/);
    expect(submitted.code).toBe(0);
    const pk = Number(submitted.stdout.trim());
    expect(pk).toBeGreaterThan(0);
    await waitForLine(join(home.path, "steps.log"), "end 8");
    const first = await home.killDaemonGroup();
    expect(first).toBeDefined();
    expect(groupAlive(first as number)).toBe(false);

    const store = home.store();
    expect(store.node(pk)?.state).toMatch(/RUNNING|WAITING/);
    const before = store.tasks(pk);
    const finishedBefore = before.filter((t) => t.state === "FINISHED").map((t) => t.pk);
    expect(finishedBefore.length).toBeGreaterThanOrEqual(7);

    const started = await home.cli("daemon", "start", "--workers", "2");
    expect(started.stdout).toMatch(/Started the daemon of profile default \(pid \d+\)/);
    expect(await home.waitForRun(pk, ["FINISHED", "EXCEPTED", "KILLED"])).toBe("FINISHED");

    const shown = JSON.parse((await home.cli("process", "show", String(pk), "--json")).stdout) as {
      outputs: { label: string; value: unknown }[];
      tasks: { pk: number; state: string }[];
    };
    expect(shown.outputs).toEqual([expect.objectContaining({ label: "total", value: 210 })]);
    // one run: 20 calls, the finished ones kept with their pks
    expect(shown.tasks).toHaveLength(20);
    expect(shown.tasks.every((t) => t.state === "FINISHED")).toBe(true);
    expect(shown.tasks.map((t) => t.pk).slice(0, finishedBefore.length)).toEqual(finishedBefore);
    expect(store.runs({}).map((r) => r.pk)).toEqual([pk]);
    const reports = store.reports(pk).map((l) => l.message);
    expect(reports).toContainEqual(
      expect.stringMatching(new RegExp(`${finishedBefore.length} finished calls kept`)),
    );

    const seen = counts(home.path);
    const finishedSteps = before
      .map((t, index) => ({ state: t.state, step: index + 1 }))
      .filter((t) => t.state === "FINISHED")
      .map((t) => t.step);
    for (const i of finishedSteps) {
      expect(seen.get(`start ${i}`), `step ${i}`).toBe(1);
      expect(seen.get(`end ${i}`), `step ${i}`).toBe(1);
    }
    // Only calls not yet stored FINISHED at the kill may run again (at-least-once): the one in
    // flight, and one whose result was in memory but not yet committed when the next one began.
    const lastStored = Math.max(0, ...finishedSteps);
    const twice = [...seen]
      .filter(([key, n]) => key.startsWith("start") && n > 1)
      .map(([key]) => Number(key.slice("start ".length)));
    for (const step of twice) expect(step, `step ${step} ran twice`).toBeGreaterThan(lastStored);
    for (let i = 1; i <= 20; i++) expect(seen.get(`end ${i}`) ?? 0).toBeGreaterThanOrEqual(1);
  }, 120_000);
});
