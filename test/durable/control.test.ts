import { rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { DaemonHome } from "../support/daemon.js";
import { isAlive, waitUntilGone } from "../support/processes.js";
import { CHAIN, stepLines, waitFor, type StepLine } from "../support/step-log.js";

let home: DaemonHome | undefined;
afterEach(async () => {
  await home?.dispose();
  home = undefined;
});

async function submitChain(h: DaemonHome, dir: string, steps: number, ms: number): Promise<number> {
  const submitted = await h.cli(
    "submit",
    "./chain.mjs#chain",
    "--input",
    `dir=${JSON.stringify(dir)}`,
    "--input",
    `steps=${steps}`,
    "--input",
    `ms=${ms}`,
  );
  expect(submitted.code, submitted.stderr).toBe(0);
  return Number(submitted.stdout.trim());
}

describe("process pause, play and kill from the command line", () => {
  it("pause: no step starts while paused; play: the run goes on to FINISHED", async () => {
    const h = (home = new DaemonHome());
    h.writeModule("chain.mjs", CHAIN);
    // step 3 holds until the pause has arrived: the run still goes on when it does
    const hold = path.join(h.path, "hold");
    writeFileSync(hold, "");
    const pk = await submitChain(h, h.path, 6, 100);
    await waitFor(
      () => stepLines(h.path).some((l) => l.what === "start" && l.step === 3),
      "step 3",
    );
    const paused = await h.cli("process", "pause", String(pk));
    expect(paused.stdout, `${paused.code} ${paused.stderr}`).toContain(`pause: run ${pk}`);
    const pausedAt = Date.now();
    const store = h.store();
    await waitFor(() => (store.node(pk)?.attributes ?? "").includes('"paused":true'), "paused");
    rmSync(hold);
    await waitFor(
      () => stepLines(h.path).some((l) => l.what === "end" && l.step === 3),
      "step 3 to end",
    );
    await waitFor(() => store.tasks(pk).every((t) => t.state !== "RUNNING"), "step 3 recorded");
    await new Promise((resolve) => setTimeout(resolve, 2000));
    const startsWhilePaused = stepLines(h.path).filter(
      (l) => l.what === "start" && l.at > pausedAt,
    );
    expect(startsWhilePaused).toEqual([]);
    // the step running at the pause finished and was recorded
    const running = store.tasks(pk).filter((t) => t.state === "RUNNING");
    expect(running).toEqual([]);
    expect(store.node(pk)?.attributes).toContain('"paused":true');
    const played = await h.cli("process", "play", String(pk));
    expect(played.stdout).toContain(`play: run ${pk}`);
    const watched = await h.cli("process", "watch", String(pk));
    expect(watched.stdout).toMatch(/paused: no task starts until it is played/);
    expect(watched.stdout).toMatch(/played: ready tasks start again/);
    expect(watched.stdout.trim().split("\n").at(-1)).toBe(`run ${pk} ended FINISHED`);
    expect(watched.code).toBe(0);
    const shown = JSON.parse((await h.cli("process", "show", String(pk), "--json")).stdout) as {
      state: string;
      outputs: { value: unknown }[];
    };
    expect(shown.state).toBe("FINISHED");
    expect(shown.outputs[0]?.value).toBe(21);
    const listed = JSON.parse((await h.cli("process", "list", "--json")).stdout) as {
      pk: number;
      state: string;
    }[];
    expect(listed).toEqual([expect.objectContaining({ pk, state: "FINISHED" })]);
  }, 60_000);

  it("kill: the run ends KILLED, every task terminal, the job process gone", async () => {
    const h = (home = new DaemonHome());
    h.writeModule("chain.mjs", CHAIN);
    // step 3 on take a minute here: step 3 still runs when the kill arrives
    const pk = await submitChain(h, h.path, 8, 60_000);
    await waitFor(
      () => stepLines(h.path).some((l) => l.what === "start" && l.step === 3),
      "step 3",
    );
    const running = stepLines(h.path).find((l) => l.what === "start" && l.step === 3) as StepLine;
    expect(isAlive(running.pid)).toBe(true);
    const killed = await h.cli("process", "kill", String(pk));
    expect(killed.stdout).toContain(`kill: run ${pk}`);
    expect(await h.waitForRun(pk, ["FINISHED", "EXCEPTED", "KILLED"])).toBe("KILLED");
    const store = h.store();
    const states = store.tasks(pk).map((t) => t.state);
    expect(states.filter((s) => s === "PLANNED" || s === "RUNNING")).toEqual([]);
    expect(states).toContain("KILLED");
    expect(await waitUntilGone(running.pid, 5000)).toBe(true);
    expect(stepLines(h.path).some((l) => l.what === "end" && l.step === 3)).toBe(false);
    const again = await h.cli("process", "kill", String(pk));
    expect(again.code).toBe(1);
    expect(again.stderr).toContain(`run ${pk} has ended KILLED`);
  }, 60_000);
});
