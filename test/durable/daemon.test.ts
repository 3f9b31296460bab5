import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { DaemonHome, groupAlive } from "../support/daemon.js";

const SLOW = `
import { task } from "WG";
export const nap = task.job(async function nap(ms) {
  await new Promise((resolve) => setTimeout(resolve, ms));
  return ms;
});
export async function slow(ms) {
  return { slept: nap(ms).result };
}
`;

let home: DaemonHome | undefined;
afterEach(async () => {
  await home?.dispose();
  home = undefined;
});

describe("workgraph daemon", () => {
  it("starts once per profile, tells its status and log, stops and restarts", async () => {
    const h = (home = new DaemonHome());
    const started = await h.cli("daemon", "start", "--workers", "1");
    expect(started.code).toBe(0);
    const pid = Number(/pid (\d+)/.exec(started.stdout)?.[1]);
    expect(h.daemonPid()).toBe(pid);
    const second = await h.cli("daemon", "start");
    expect(second.code).toBe(1);
    expect(second.stderr).toContain(`A daemon already runs for profile default (pid ${pid})`);
    const status = JSON.parse((await h.cli("daemon", "status", "--json")).stdout) as {
      pid: number;
      workers: number;
      queued: number[];
      running: number[];
    };
    expect(status).toMatchObject({ pid, workers: 1, queued: [], running: [] });
    expect((await h.cli("daemon", "status")).stdout).toMatch(/pid \d+, 1 workers/);
    expect((await h.cli("daemon", "logs")).stdout).toMatch(/started: profile default, 1 workers/);
    const restarted = await h.cli("daemon", "restart", "--workers", "2");
    expect(restarted.stdout).toContain(`Stopped the daemon of profile default (pid ${pid})`);
    const newPid = Number(
      /Started the daemon of profile default \(pid (\d+)\)/.exec(restarted.stdout)?.[1],
    );
    expect(newPid).not.toBe(pid);
    expect(groupAlive(pid)).toBe(false);
    const stopped = await h.cli("daemon", "stop");
    expect(stopped.stdout).toContain(`Stopped the daemon of profile default (pid ${newPid})`);
    expect(h.daemonPid()).toBeUndefined();
    expect((await h.cli("daemon", "status")).code).toBe(1);
  }, 60_000);

  it("refuses a bad submit with exit code 2, naming the bad part", async () => {
    const h = (home = new DaemonHome());
    h.writeModule("slow.mjs", SLOW);
    const missing = await h.cli("submit", "./slow.mjs#fast");
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("./slow.mjs has no exported flow function fast");
    const shape = await h.cli("submit", "./slow.mjs");
    expect(shape.code).toBe(2);
    expect(shape.stderr).toContain("expected MODULE#EXPORT");
    const input = await h.cli("submit", "./slow.mjs#slow", "--input", "nope=1");
    expect(input.code).toBe(2);
    expect(input.stderr).toMatch(/nope/);
    expect(h.daemonPid()).toBeUndefined();
  }, 60_000);

  it("ends a run EXCEPTED, naming module and export, when the flow is gone at replay", async () => {
    const h = (home = new DaemonHome());
    const module = h.writeModule("slow.mjs", SLOW);
    const submitted = await h.cli("submit", "./slow.mjs#slow", "--input", "ms=60000");
    expect(submitted.code).toBe(0);
    const pk = Number(submitted.stdout.trim());
    await h.waitForRun(pk, ["RUNNING", "WAITING"]);
    await h.killDaemonGroup();
    writeFileSync(module, "export const other = 1;\n");
    expect((await h.cli("daemon", "start")).code).toBe(0);
    expect(await h.waitForRun(pk, ["FINISHED", "EXCEPTED", "KILLED"])).toBe("EXCEPTED");
    const shown = (await h.cli("process", "show", String(pk))).stdout;
    expect(shown).toContain(
      `The module ${join(h.path, "slow.mjs")} no longer exports a flow named slow`,
    );
    const report = (await h.cli("process", "report", String(pk))).stdout;
    expect(report).toMatch(
      /raised WorkgraphError: The module .* no longer exports a flow named slow/,
    );
  }, 60_000);
});
