import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { JobRequest } from "../../../engine/execute/executor.js";
import {
  closeDefaultJobPool,
  createJobPool,
  defaultJobPool,
} from "../../../engine/execute/job-pool.js";
import { checkJobSource } from "../../../engine/author/job-source.js";
import {
  JobPoolClosedError,
  JobProcessError,
  TaskOutputError,
  TaskTimeoutError,
} from "../../../engine/model/errors.js";

// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type -- jobs of any shape
function job(fn: Function, args: unknown[] = [], extra: Partial<JobRequest> = {}): JobRequest {
  const taskName = fn.name || "job";
  return { taskName, source: checkJobSource(fn, taskName), args, ...extra };
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected the job to fail");
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ESRCH") return false;
    throw error;
  }
}

/** A process may take a moment to be reaped after SIGKILL. */
async function expectGone(pid: number): Promise<void> {
  for (let i = 0; i < 50 && isAlive(pid); i++) await new Promise((r) => setTimeout(r, 20));
  expect(isAlive(pid)).toBe(false);
}

function pidOnStart(): { onStart: (pid: number) => void; pid: Promise<number> } {
  let onStart: (pid: number) => void = () => {};
  const pid = new Promise<number>((resolve) => (onStart = resolve));
  return { onStart, pid };
}

function sleep(ms: number) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

describe("JobPool", () => {
  const pool = createJobPool({ size: 2 });

  beforeAll(() => pool.warm());
  afterAll(() => pool.close());

  it("runs a job and returns its result", async () => {
    expect(pool.concurrency).toBe(2);
    expect(pool.pids()).toHaveLength(2);
    const add = function add(x: number, y: number) {
      return x + y;
    };
    expect(await pool.run(job(add, [3, 4]))).toBe(7);
  });

  it("keeps Map, Set, Date and bigint in both directions", async () => {
    const transform = function transform(input: {
      m: Map<string, number>;
      s: Set<number>;
      d: Date;
      b: bigint;
    }) {
      return {
        kinds: [input.m instanceof Map, input.s instanceof Set, input.d instanceof Date],
        m: new Map([...input.m, ["z", 26]]),
        s: new Set([...input.s, 3]),
        d: new Date(input.d.getTime() + 1000),
        b: input.b * 2n,
        bytes: new Float64Array([0.5]),
      };
    };
    const input = { m: new Map([["a", 1]]), s: new Set([1, 2]), d: new Date(0), b: 2n ** 70n };
    expect(await pool.run(job(transform, [input]))).toEqual({
      kinds: [true, true, true],
      m: new Map([
        ["a", 1],
        ["z", 26],
      ]),
      s: new Set([1, 2, 3]),
      d: new Date(1000),
      b: 2n ** 71n,
      bytes: new Float64Array([0.5]),
    });
  });

  it("awaits a job that returns a promise", async () => {
    const later = async function later(x: number) {
      await new Promise((resolve) => setTimeout(resolve, 10));
      return x + 1;
    };
    expect(await pool.run(job(later, [1]))).toBe(2);
  });

  it("rejects with the job's error: name, message and stack", async () => {
    const explode = function explode(what: string) {
      class RecipeError extends Error {
        override name = "RecipeError";
      }
      throw new RecipeError(`no ${what}`);
    };
    const error = (await rejection(pool.run(job(explode, ["flour"])))) as Error;
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe("RecipeError");
    expect(error.message).toBe("no flour");
    expect(error.stack).toContain("explode");
  });

  it("reports a result that cannot be sent back", async () => {
    const leaky = function leaky() {
      return { total: 1, callback: () => 2 };
    };
    const error = (await rejection(pool.run(job(leaky)))) as Error;
    expect(error.name).toBe(new TaskOutputError("t", "o", "m").name);
    expect(error.message).toContain("result.callback is a function");
  });

  it("rejects arguments V8 cannot clone without harming the pool", async () => {
    const identity = function identity(x: unknown) {
      return x;
    };
    await expect(pool.run(job(identity, [() => 1]))).rejects.toThrow(/could not be cloned/);
    expect(await pool.run(job(identity, ["still fine"]))).toBe("still fine");
  });

  it("supplies require, __name and tslib helpers to a job", async () => {
    const source =
      "function compiled() { const os = require('node:os'); " +
      "const named = __name(() => os.EOL, 'named'); " +
      "return __awaiter(this, void 0, void 0, function* () { return named.name; }); }";
    expect(await pool.run({ taskName: "compiled", source, args: [] })).toBe("named");
  });

  it("turns process.exit in a job into JobProcessError and replaces the worker", async () => {
    const quit = function quit() {
      process.exit(3);
    };
    const started = pidOnStart();
    const error = await rejection(pool.run(job(quit, [], { onStart: started.onStart })));
    const pid = await started.pid;
    expect(error).toBeInstanceOf(JobProcessError);
    expect(error).toMatchObject({ taskName: "quit", pid, exitCode: 3, signal: null });
    await expectGone(pid);
    expect(pool.pids()).not.toContain(pid);
    const ping = function ping() {
      return process.pid;
    };
    expect(await pool.run(job(ping))).not.toBe(pid);
  });

  it("reports a worker killed from outside mid-job", async () => {
    const wait = function wait() {
      return new Promise((resolve) => setTimeout(resolve, 10_000));
    };
    const started = pidOnStart();
    const running = rejection(pool.run(job(wait, [], { onStart: started.onStart })));
    const pid = await started.pid;
    await sleep(50);
    process.kill(pid, "SIGKILL");
    const error = await running;
    expect(error).toBeInstanceOf(JobProcessError);
    expect(error).toMatchObject({ pid, exitCode: null, signal: "SIGKILL" });
    expect(pool.pids()).not.toContain(pid);
    const ping = function ping() {
      return process.pid;
    };
    const next = (await pool.run(job(ping))) as number;
    expect(pool.pids()).toContain(next);
  });

  it("stops an endless job after its timeout", async () => {
    const spin = function spin() {
      for (;;);
    };
    const started = pidOnStart();
    const error = await rejection(
      pool.run(job(spin, [], { timeoutMs: 300, onStart: started.onStart })),
    );
    expect(error).toBeInstanceOf(TaskTimeoutError);
    expect(error).toMatchObject({ taskName: "spin", timeoutMs: 300 });
    await expectGone(await started.pid);
  });

  it("kills a job's process when its signal aborts, rejecting with the reason", async () => {
    const wait = function wait() {
      return new Promise((resolve) => setTimeout(resolve, 10_000));
    };
    const controller = new AbortController();
    const started = pidOnStart();
    const running = rejection(
      pool.run(job(wait, [], { signal: controller.signal, onStart: started.onStart })),
    );
    const pid = await started.pid;
    await sleep(50);
    const reason = new Error("the user pressed stop");
    controller.abort(reason);
    expect(await running).toBe(reason);
    await expectGone(pid);
  });

  it("runs jobs on different workers at the same time", async () => {
    const nap = async function nap() {
      const start = Date.now();
      await new Promise((resolve) => setTimeout(resolve, 300));
      return { pid: process.pid, start, end: Date.now() };
    };
    // Earlier tests killed workers; wait for their replacements to be ready.
    await pool.warm();
    type Span = { pid: number; start: number; end: number };
    const [a, b] = (await Promise.all([pool.run(job(nap)), pool.run(job(nap))])) as Span[];
    if (a === undefined || b === undefined) throw new Error("two results expected");
    expect(a.pid).not.toBe(b.pid);
    expect(a.start).toBeLessThan(b.end);
    expect(b.start).toBeLessThan(a.end);
  });
});

describe("JobPool with one worker", () => {
  const pool = createJobPool({ size: 1 });
  afterAll(() => pool.close());

  const nap = async function nap(ms: number) {
    const start = Date.now();
    await new Promise((resolve) => setTimeout(resolve, ms));
    return { start, end: Date.now() };
  };

  it("queues jobs in order while its worker is busy", async () => {
    type Span = { start: number; end: number };
    const spans = (await Promise.all([1, 2, 3].map(() => pool.run(job(nap, [30]))))) as Span[];
    for (let i = 1; i < spans.length; i++) {
      expect(spans[i]?.start).toBeGreaterThanOrEqual(spans[i - 1]?.end ?? Infinity);
    }
  });

  it("rejects a queued job whose signal aborts, without touching the running one", async () => {
    const controller = new AbortController();
    const running = pool.run(job(nap, [200]));
    const queued = rejection(pool.run(job(nap, [10], { signal: controller.signal })));
    controller.abort("no longer needed");
    expect(await queued).toBe("no longer needed");
    await expect(running).resolves.toHaveProperty("start");
  });

  it("rejects waiting and running jobs when closed, then refuses new ones", async () => {
    const closing = createJobPool({ size: 1 });
    const running = rejection(closing.run(job(nap, [5_000])));
    const queued = rejection(closing.run(job(nap, [10])));
    await closing.warm();
    const pids = closing.pids();
    await closing.close();
    expect(await running).toBeInstanceOf(JobPoolClosedError);
    expect(await queued).toBeInstanceOf(JobPoolClosedError);
    expect(closing.pids()).toEqual([]);
    for (const pid of pids) await expectGone(pid);
    await expect(closing.run(job(nap, [1]))).rejects.toBeInstanceOf(JobPoolClosedError);
  });
});

describe("the default job pool", () => {
  it("is one shared pool until closed, then a new one", async () => {
    const pool = defaultJobPool();
    expect(defaultJobPool()).toBe(pool);
    await closeDefaultJobPool();
    const next = defaultJobPool();
    expect(next).not.toBe(pool);
    await closeDefaultJobPool();
  });

  it("rejects warm() when closed while its workers start", async () => {
    const pool = createJobPool({ size: 1 });
    const warming = rejection(pool.warm());
    await pool.close();
    expect(await warming).toBeInstanceOf(JobPoolClosedError);
  });
});

describe("a script using jobs", () => {
  let folder = "";
  beforeAll(() => {
    folder = mkdtempSync(path.join(os.tmpdir(), "workgraph-jobs-"));
  });
  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  it("exits by itself without closing its pool", () => {
    const poolModule = fileURLToPath(
      new URL("../../../engine/execute/job-pool.ts", import.meta.url),
    );
    const script = path.join(folder, "script.mts");
    writeFileSync(
      script,
      `import { createJobPool } from ${JSON.stringify(poolModule)};\n` +
        "const pool = createJobPool({ size: 1 });\n" +
        'const result = await pool.run({ taskName: "add", source: "(x, y) => x + y", args: [2, 3] });\n' +
        "console.log('result', result);\n",
    );
    const child = spawnSync(process.execPath, ["--import", "tsx", script], {
      cwd: fileURLToPath(new URL("../../..", import.meta.url)),
      // the pool forks its worker from source too, through tsx, as outside the tests
      env: { ...process.env, WORKGRAPH_BUILT_WORKERS: "" },
      encoding: "utf8",
      // compiling the script and the worker through tsx takes seconds on a loaded machine; a
      // pool left open keeps the script alive until this limit, however long it is
      timeout: 60_000,
    });
    expect(child.stderr).toBe("");
    expect(child.stdout).toContain("result 5");
    // it exited by itself with 0, not killed by spawnSync at the timeout (a pool left open
    // would keep it alive until then)
    expect(child.error).toBeUndefined();
    expect(child.signal).toBeNull();
    expect(child.status).toBe(0);
  }, 90_000);
});

describe("a warm worker and SIGINT", () => {
  it("ignores SIGINT (a Jupyter interrupt reaches the whole process group) and stays warm", async () => {
    const pool = createJobPool({ size: 1 });
    try {
      let pid = 0;
      await pool.run({
        taskName: "first",
        source: "function first() { return 1; }",
        args: [],
        onStart: (p) => (pid = p),
      });
      process.kill(pid, "SIGINT");
      await new Promise((resolve) => setTimeout(resolve, 200));
      let again = 0;
      expect(
        await pool.run({
          taskName: "second",
          source: "function second() { return 2; }",
          args: [],
          onStart: (p) => (again = p),
        }),
      ).toBe(2);
      expect(again).toBe(pid);
    } finally {
      await pool.close();
    }
  });
});
