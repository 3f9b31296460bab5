import { afterAll, describe, expect, it } from "vitest";
import type { TaskFailedError } from "../../engine/index.js";
import {
  JobProcessError,
  MemoryStore,
  RunCancelledError,
  TaskTimeoutError,
  createJobPool,
  currentTask,
  isTerminalTask,
  rootCause,
  run,
  task,
  waitFor,
  type RunOptions,
} from "../../engine/index.js";
import { waitUntilGone } from "../support/processes.js";

const pool = createJobPool({ size: 2 });
afterAll(() => pool.close());
const options = (): RunOptions => ({ log: false, store: new MemoryStore(), jobs: pool });

const sleepJob = task.job(async function sleepJob(ms: number) {
  await new Promise((resolve) => setTimeout(resolve, ms));
  return process.pid;
});
const exitJob = task.job(function exitJob(code: number) {
  process.exit(code);
});
const spinJob = task.job(
  function spinJob() {
    for (;;) {
      // an endless loop: only a kill stops it
    }
  },
  { timeout: 300 },
);
const add = task.job(function add(x: number, y: number) {
  return x + y;
});

/** The pid of the worker process that runs a task, once the job has reached it. */
async function pidOf(r: ReturnType<typeof run>, name: string): Promise<number> {
  for (;;) {
    const t = r.tasks.find((candidate) => candidate.name === name);
    if (t?.pid !== undefined) return t.pid;
    if (t !== undefined && isTerminalTask(t.state)) throw new Error(`${name} ended without a pid`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe("job processes that die", () => {
  it("a job that exits mid-task is FAILED with a clear message, and the next job works", async () => {
    const r = run(
      async () => {
        const e = exitJob(3);
        try {
          await waitFor(e);
        } catch (error) {
          return { cause: (error as TaskFailedError).cause as Error, after: add(2, 3).result };
        }
        return {};
      },
      {},
      options(),
    );
    const results = (await r) as Record<string, { value: unknown }>;
    const cause = results.cause?.value as Error;
    expect(cause).toBeInstanceOf(JobProcessError);
    expect(cause.message).toMatch(/running job exitJob exited with code 3 before the job finished/);
    expect(results.after?.value).toBe(5);
  });

  it("a job SIGKILLed from outside is FAILED, and the pool replaces the worker", async () => {
    const r = run(
      async () => {
        const s = sleepJob(5000);
        await waitFor(s).catch(() => undefined);
        return { after: add(1, 1).result };
      },
      {},
      options(),
    );
    const pid = await pidOf(r, "sleepJob");
    process.kill(pid, "SIGKILL");
    const results = await r;
    expect(results.after.value).toBe(2);
    const failed = r.graph().tasks[0];
    expect(failed?.state).toBe("FAILED");
    expect(failed?.error?.name).toBe("JobProcessError");
    expect(failed?.error?.message).toContain("was killed by SIGKILL");
    expect(await waitUntilGone(pid)).toBe(true);
  });

  it("an endless job with a timeout is killed and FAILED (timeout)", async () => {
    const r = run(
      async () => {
        await waitFor(spinJob());
      },
      {},
      options(),
    );
    const pid = await pidOf(r, "spinJob");
    const error = await r.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(rootCause(error)).toBeInstanceOf(TaskTimeoutError);
    expect(r.graph().tasks[0]?.error?.message).toBe(
      "Task spinJob timed out after 300 ms and was stopped",
    );
    expect(await waitUntilGone(pid)).toBe(true);
  });
});

describe("a run that ends early", () => {
  it("an uncaught error ends it EXCEPTED and leaves no job process of it alive", async () => {
    let giveUp = () => {};
    const r = run(
      async () => {
        sleepJob(10_000);
        sleepJob(10_000);
        await new Promise<void>((resolve) => (giveUp = resolve));
        throw new Error("the flow changed its mind");
      },
      {},
      options(),
    );
    const pids = [await pidOf(r, "sleepJob"), await pidOf(r, "sleepJob1")];
    giveUp();
    await expect(r).rejects.toThrow("the flow changed its mind");
    expect(r.state).toBe("EXCEPTED");
    expect(r.exitCode).toBe(1);
    expect(r.graph().tasks.map((t) => t.state)).toEqual(["KILLED", "KILLED"]);
    for (const pid of pids) expect(await waitUntilGone(pid)).toBe(true);
  });

  it("cancel() mid-run leaves every task terminal and no job process of it alive", async () => {
    const r = run(
      async () => {
        const a = sleepJob(10_000);
        const b = sleepJob(10_000);
        const c = add(a.result, b.result);
        await waitFor(c);
      },
      {},
      options(),
    );
    const pids = [await pidOf(r, "sleepJob"), await pidOf(r, "sleepJob1")];
    r.cancel("enough");
    const error = await r.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(RunCancelledError);
    expect(r.state).toBe("KILLED");
    expect(r.exitCode).toBe(130);
    expect(r.graph().tasks.every((t) => isTerminalTask(t.state))).toBe(true);
    expect(r.graph().tasks.map((t) => t.state)).toEqual(["KILLED", "KILLED", "KILLED"]);
    for (const pid of pids) expect(await waitUntilGone(pid)).toBe(true);
    expect((await run(async () => ({ s: add(1, 2).result }), {}, options())).s.value).toBe(3);
  });

  it("cancel() aborts the signal of a running in-process task", async () => {
    let aborted = false;
    const listening = task(async function listening() {
      const signal = currentTask()?.signal;
      await new Promise<void>((resolve) => {
        signal?.addEventListener("abort", () => {
          aborted = true;
          resolve();
        });
      });
    });
    const r = run(
      async () => {
        listening();
      },
      {},
      options(),
    );
    await new Promise((resolve) => setTimeout(resolve, 20));
    r.cancel();
    await r.done;
    expect(aborted).toBe(true);
    expect(r.graph().tasks[0]?.state).toBe("KILLED");
  });
});

describe("retries and timeouts of in-process tasks", () => {
  it("retries a failing task and finishes when a later attempt works", async () => {
    let calls = 0;
    const flaky = task(
      function flaky() {
        calls++;
        if (calls < 3) throw new Error(`attempt ${calls} failed`);
        return calls;
      },
      { retries: 2 },
    );
    const r = run(async () => ({ value: flaky().result }), {}, options());
    const events: string[] = [];
    r.events$.subscribe((e) => {
      if (e.type === "task.retry") events.push(`${e.attempt}:${e.error.message}`);
    });
    expect((await r).value.value).toBe(3);
    expect(events).toEqual(["2:attempt 1 failed", "3:attempt 2 failed"]);
    expect(r.graph().tasks[0]?.attempt).toBe(3);
  });

  it("fails after the last retry with the last error", async () => {
    const always = task(
      function always(): number {
        throw new Error("still broken");
      },
      { retries: 1 },
    );
    const r = run(async () => ({ value: always().result }), {}, options());
    const error = await r.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect((rootCause(error) as Error).message).toBe("still broken");
    expect(r.graph().tasks[0]?.attempt).toBe(2);
  });

  it("stops an in-process task at its timeout", async () => {
    const hang = task(
      async function hang() {
        await new Promise((resolve) => setTimeout(resolve, 5000));
      },
      { timeout: 50 },
    );
    const r = run(
      async () => {
        await waitFor(hang());
      },
      {},
      options(),
    );
    const error = await r.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(rootCause(error)).toBeInstanceOf(TaskTimeoutError);
  });

  it("waitFor gives up at its own timeout, naming what is not done", async () => {
    const r = run(
      async () => {
        const s = sleepJob(2000);
        await waitFor(s, { timeout: 50 });
      },
      {},
      options(),
    );
    await expect(r).rejects.toThrow("waitFor timed out after 50 ms; still not done: sleepJob");
  });
});
