/**
 * pause, play and kill from the command line reach the worker process that holds the run, on
 * a profile whose store is PostgreSQL and whose broker is Redis or PostgreSQL; the command
 * runs in a home of its own, as on another machine.
 */
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { startProfileFarm, type ProfileFarm } from "../support/profile-farm.js";
import { usePgSchemas } from "../support/postgres.js";
import { isAlive, waitUntilGone } from "../support/processes.js";
import { CHAIN, stepLines, waitFor, type StepLine } from "../support/step-log.js";

const schemas = usePgSchemas();
let farm: ProfileFarm | undefined;
afterEach(async () => {
  await farm?.dispose();
  farm = undefined;
});

describe.each(["redis", "postgresql"] as const)("process control on a %s broker", (kind) => {
  it("pause, play and kill from another home reach the worker holding the run", async () => {
    farm = await startProfileFarm(kind, schemas.url(), { workerArgs: ["-c", "1"] });
    const { store, dir } = farm;
    const cli = (...args: string[]) => farm!.cli(...args);
    const [worker] = farm.workers as [ProfileFarm["workers"][number]];
    farm.writeModule("chain.mjs", CHAIN);
    const submit = (folder: string, steps: number, ms: number): Promise<number> =>
      farm!.submit("./chain.mjs#chain", { dir: folder, steps, ms });

    // pause: no step starts while paused; play: the run goes on to FINISHED. Steps from 3 on
    // take 8 s: the pause arrives while the run goes on, however slowly the command starts
    const pk = await submit(dir, 5, 8000);
    await waitFor(() => stepLines(dir).some((l) => l.what === "start" && l.step === 2), "step 2");
    const paused = await cli("process", "pause", String(pk));
    expect(paused.stdout, `${paused.code} ${paused.stderr}`).toContain(`pause: run ${pk}`);
    const pausedAt = Date.now();
    expect(store.node(pk)?.state).toMatch(/RUNNING|WAITING/);
    await new Promise((resolve) => setTimeout(resolve, 2500));
    expect(stepLines(dir).filter((l) => l.what === "start" && l.at > pausedAt)).toEqual([]);
    // a step that began before the pause arrived may still run; the steps not begun wait
    const begun = stepLines(dir).filter((l) => l.what === "start").length;
    const ended = stepLines(dir).filter((l) => l.what === "end").length;
    const tasks = store.tasks(pk);
    expect(tasks.filter((t) => t.state === "RUNNING")).toHaveLength(begun - ended);
    expect(tasks.filter((t) => t.state === "PLANNED")).toHaveLength(5 - begun);
    expect(begun).toBeLessThan(5);
    expect(store.node(pk)?.attributes).toContain('"paused":true');
    const played = await cli("process", "play", String(pk));
    expect(played.stdout, played.stderr).toContain(`play: run ${pk}`);
    const watched = await cli("process", "watch", String(pk));
    expect(watched.stdout).toMatch(/paused: no task starts until it is played/);
    expect(watched.stdout).toMatch(/played: ready tasks start again/);
    expect(watched.stdout.trim().split("\n").at(-1)).toBe(`run ${pk} ended FINISHED`);
    expect(store.node(pk)?.state).toBe("FINISHED");
    expect(worker.lines.some((line) => line.includes(`run ${pk} ended FINISHED`))).toBe(true);

    // kill: the run ends KILLED, every task terminal, the job process gone
    const other = join(dir, "second");
    mkdirSync(other);
    const doomed = await submit(other, 8, 60_000);
    const third = (): StepLine | undefined =>
      stepLines(other).find((l) => l.what === "start" && l.step === 3);
    await waitFor(() => third() !== undefined, "step 3 of the second run");
    const running = third() as StepLine;
    expect(isAlive(running.pid)).toBe(true);
    const killed = await cli("process", "kill", String(doomed));
    expect(killed.stdout, killed.stderr).toContain(`kill: run ${doomed}`);
    await waitFor(() => store.node(doomed)?.state === "KILLED", "the run to end KILLED", 60_000);
    const states = store.tasks(doomed).map((t) => t.state);
    expect(states.filter((s) => s === "PLANNED" || s === "RUNNING")).toEqual([]);
    expect(states).toContain("KILLED");
    expect(await waitUntilGone(running.pid, 10_000)).toBe(true);
    expect(stepLines(other).some((l) => l.what === "end" && l.step === 3)).toBe(false);
    const again = await cli("process", "kill", String(doomed));
    expect(again.code).toBe(1);
    expect(again.stderr).toContain(`run ${doomed} has ended KILLED`);
  }, 300_000);
});
