/**
 * The live page's pause, play and kill buttons, on a profile whose store is PostgreSQL and
 * whose broker is Redis or PostgreSQL, reach the worker process holding the run: `workgraph gui
 * --profile NAME` runs in a home of its own, as on another machine, and is driven over its
 * WebSocket.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { createInterface } from "node:readline";
import { describe, expect, it } from "vitest";
import WebSocket from "ws";
import { built, root } from "../support/built.js";
import { useCleanups } from "../support/cleanups.js";
import { startProfileFarm, type ProfileFarm } from "../support/profile-farm.js";
import { usePgSchemas } from "../support/postgres.js";
import { CHAIN, stepLines, waitFor } from "../support/step-log.js";

/** `workgraph gui --profile NAME` in `home`; resolves with the process and the URL it printed. */
function startPage(home: string, profile: string): Promise<{ child: ChildProcess; url: URL }> {
  const child = spawn(process.execPath, [built("cli/main.js"), "gui", "--profile", profile], {
    cwd: root,
    env: { ...process.env, WORKGRAPH_HOME: home },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve, reject) => {
    createInterface({ input: child.stdout }).on("line", (line) => {
      const found = /^workgraph gui: (http\S+)/.exec(line);
      if (found?.[1] !== undefined) resolve({ child, url: new URL(found[1]) });
    });
    child.once("exit", (code) => reject(new Error(`workgraph gui exited ${code}: ${stderr}`)));
  });
}

/** The page's socket: sends messages, and waits for the answer of a given type. */
async function openSocket(url: URL) {
  const socket = new WebSocket(`ws://${url.host}/ws?token=${url.searchParams.get("token")}`);
  const messages: { type: string; run?: number; action?: string; message?: string }[] = [];
  const waiters: (() => void)[] = [];
  socket.on("message", (data: Buffer) => {
    messages.push(JSON.parse(data.toString("utf8")) as (typeof messages)[number]);
    waiters.splice(0).forEach((wake) => wake());
  });
  await new Promise((resolve, reject) => {
    socket.once("open", resolve);
    socket.once("error", reject);
  });
  /** Sends a control message; resolves with the `controlled` answer, rejects with an error's. */
  const control = async (run: number, action: string) => {
    socket.send(JSON.stringify({ type: "control", run, action }));
    for (;;) {
      const found = messages.findIndex((m) => m.type === "controlled" || m.type === "error");
      if (found >= 0) {
        const [answer] = messages.splice(found, 1);
        if (answer?.type === "error") throw new Error(answer.message);
        return answer;
      }
      await new Promise<void>((wake) => waiters.push(wake));
    }
  };
  return { socket, control };
}

const schemas = usePgSchemas();
const cleanup = useCleanups();

/** A farm of one worker, the page of its profile in the submitter's home, and its socket. */
async function farmWithPage(kind: "redis" | "postgresql") {
  const farm: ProfileFarm = await startProfileFarm(kind, schemas.url(), {
    workerArgs: ["-c", "1"],
  });
  cleanup(() => farm.dispose());
  farm.writeModule("chain.mjs", CHAIN);
  const page = await startPage(farm.home, farm.name);
  cleanup(
    () =>
      new Promise<void>((resolve) => {
        if (page.child.exitCode !== null) return resolve();
        page.child.once("exit", () => resolve());
        page.child.kill("SIGTERM");
      }),
  );
  const { socket, control } = await openSocket(page.url);
  cleanup(() => socket.close());
  return { farm, control };
}

/**
 * A chain of `steps` submitted to a farm with its page, paused from the page once step 2 has
 * started; resolves when the step running at the pause has finished. Steps from 3 on take 3 s
 * each: unpaused, the next starts as soon as one finishes.
 */
async function pausedAtStep2(kind: "redis" | "postgresql", steps: number) {
  const { farm, control } = await farmWithPage(kind);
  const { store, dir } = farm;
  const pk = await farm.submit("./chain.mjs#chain", { dir, steps, ms: 3000 });
  await waitFor(() => stepLines(dir).some((l) => l.what === "start" && l.step === 2), "step 2");
  // paused: the task running when the pause arrives finishes, and no other starts
  expect(await control(pk, "pause")).toEqual({ type: "controlled", run: pk, action: "pause" });
  expect(store.node(pk)?.attributes).toContain('"paused":true');
  expect(store.node(pk)?.state).toMatch(/RUNNING|WAITING/);
  const running = () => store.tasks(pk).filter((t) => t.state === "RUNNING");
  await waitFor(() => running().length === 0, "the running step to finish", 30_000);
  const started = () => stepLines(dir).filter((l) => l.what === "start").length;
  return { farm, control, pk, running, started };
}

describe("the live page of a broker profile", () => {
  it("pauses and kills a run held by a worker of another home (Redis broker)", async () => {
    const { farm, control, pk, running, started } = await pausedAtStep2("redis", 8);
    const { store, dir } = farm;
    const startedWhilePaused = started();
    await new Promise((resolve) => setTimeout(resolve, 4000));
    expect(started()).toBe(startedWhilePaused);
    expect(running()).toEqual([]);

    expect(await control(pk, "kill")).toEqual({ type: "controlled", run: pk, action: "kill" });
    await waitFor(() => store.node(pk)?.state === "KILLED", "the run to end KILLED", 60_000);
    const states = store.tasks(pk).map((t) => t.state);
    expect(states.filter((s) => s === "PLANNED" || s === "RUNNING")).toEqual([]);
    expect(stepLines(dir).filter((l) => l.what === "start").length).toBeLessThan(8);
    await expect(control(pk, "kill")).rejects.toThrow(`run ${pk} has ended KILLED`);
  }, 300_000);

  it("pauses and plays a run held by a worker of another home (PostgreSQL broker)", async () => {
    const { farm, control, pk, started } = await pausedAtStep2("postgresql", 5);
    const { store, dir } = farm;
    const startedWhilePaused = started();
    expect(startedWhilePaused).toBeLessThan(5);
    expect(store.tasks(pk).filter((t) => t.state === "PLANNED")).toHaveLength(
      5 - startedWhilePaused,
    );

    expect(await control(pk, "play")).toEqual({ type: "controlled", run: pk, action: "play" });
    await waitFor(() => store.node(pk)?.state === "FINISHED", "the run to end FINISHED", 60_000);
    expect(store.node(pk)?.attributes).toContain('"paused":false');
    const [ret] = store.links({ from: pk, type: "RETURN" });
    expect(JSON.parse(store.node(ret!.to)!.value!)).toBe(1 + 2 + 3 + 4 + 5);
    // each step ran once
    const starts = stepLines(dir)
      .filter((l) => l.what === "start")
      .map((l) => l.step);
    expect(starts.sort()).toEqual([1, 2, 3, 4, 5]);
  }, 300_000);
});
