/**
 * Jobs sent ahead: a worker holds a few jobs beyond the one it runs. They run in order, their
 * timeouts count from their own start, an abort drops them unrun, and when their worker dies
 * they run on the next one. The answers of quick jobs that come together still settle each
 * job as its own: before a job with a timeout, and before a process that exits.
 */
import type * as NodeFs from "node:fs";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkJobSource } from "../../../engine/author/job-source.js";
import type { JobRequest } from "../../../engine/execute/executor.js";
import { createJobPool } from "../../../engine/execute/job-pool.js";
import { PIPELINE_DEPTH } from "../../../engine/execute/pool-worker.js";
import { JobProcessError, TaskTimeoutError } from "../../../engine/model/errors.js";

// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type -- jobs of any shape
function job(fn: Function, args: unknown[] = [], extra: Partial<JobRequest> = {}): JobRequest {
  const taskName = fn.name || "job";
  return { taskName, source: checkJobSource(fn, taskName), args, ...extra };
}

/** The pids each job was handed to, in the order they were handed over. */
function handedTo(): { onStart: (pid: number) => void; pids: number[] } {
  const pids: number[] = [];
  return { onStart: (pid) => pids.push(pid), pids };
}

const pid = function pid() {
  return process.pid;
};
const nap = async function nap(ms: number) {
  await new Promise((resolve) => setTimeout(resolve, ms));
  return process.pid;
};
const note = function note(file: string, text: string) {
  // a job's own require, in the worker
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const fs = require("node:fs") as typeof NodeFs;
  fs.appendFileSync(file, `${text}\n`);
  return text;
};
const spin = function spin(ms: number) {
  const end = Date.now() + ms;
  while (Date.now() < end);
  return ms;
};
const exitBelowZero = function exitBelowZero(x: number) {
  if (x < 0) process.exit(7);
  return x;
};
const quit = async function quit() {
  await new Promise((resolve) => setTimeout(resolve, 100));
  process.exit(5);
};

describe("JobPool sending jobs ahead", () => {
  // A loaded machine can stretch even a trivial job; here every job counts as short.
  const pool = createJobPool({ size: 1, aheadBelowMs: Infinity });
  const folder = mkdtempSync(path.join(os.tmpdir(), "workgraph-pipeline-"));

  beforeAll(() => pool.warm());
  afterAll(async () => {
    await pool.close();
    rmSync(folder, { recursive: true, force: true });
  });

  it("hands a worker several jobs at once and runs them in order", async () => {
    const file = path.join(folder, "order.txt");
    const handed = handedTo();
    const first = pool.run(job(nap, [300], { onStart: handed.onStart }));
    const texts = Array.from({ length: PIPELINE_DEPTH - 1 }, (_, i) => `job ${i}`);
    const rest = texts.map((text) =>
      pool.run(job(note, [file, text], { onStart: handed.onStart })),
    );
    await new Promise((resolve) => setTimeout(resolve, 100));
    // all of them are in the one worker while the first still runs
    expect(handed.pids).toEqual([...texts, "first"].map(() => pool.pids()[0]));
    await first;
    expect(await Promise.all(rest)).toEqual(texts);
    expect(readFileSync(file, "utf8")).toBe(texts.map((text) => `${text}\n`).join(""));
  });

  it("counts a job's timeout from its own start, not from when it was sent", async () => {
    const first = pool.run(job(nap, [400]));
    const handed = handedTo();
    const second = pool.run(job(pid, [], { timeoutMs: 200, onStart: handed.onStart }));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(handed.pids).toHaveLength(1); // it waits in the worker, behind the first
    const [firstPid, secondPid] = await Promise.all([first, second]);
    expect(secondPid).toBe(firstPid);
  });

  it("drops a job sent ahead whose signal aborts: it never runs, the others do", async () => {
    const file = path.join(folder, "dropped.txt");
    const controller = new AbortController();
    const handed = handedTo();
    const first = pool.run(job(nap, [300]));
    const dropped = pool.run(
      job(note, [file, "dropped"], { signal: controller.signal, onStart: handed.onStart }),
    );
    const after = pool.run(job(note, [file, "after"]));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(handed.pids).toHaveLength(1); // it was in the worker when the abort came
    controller.abort("not needed");
    await expect(dropped).rejects.toBe("not needed");
    await expect(first).resolves.toBeTypeOf("number");
    await expect(after).resolves.toBe("after");
    expect(readFileSync(file, "utf8")).toBe("after\n");
  });

  it("runs the jobs sent ahead on the next worker when their worker dies", async () => {
    const handed = handedTo();
    const dying = pool.pids()[0];
    const crash = pool.run(job(quit));
    const others = [1, 2, 3].map(() => pool.run(job(pid, [], { onStart: handed.onStart })));
    const error = await crash.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(JobProcessError);
    const pids = await Promise.all(others);
    // each was handed to the dying worker first, then ran on its replacement
    expect(handed.pids.slice(0, 3)).toEqual([dying, dying, dying]);
    expect(new Set(pids).size).toBe(1);
    expect(pids[0]).not.toBe(dying);
  });

  it("answers quick jobs before a job with a timeout starts, so its timeout is its own", async () => {
    await pool.run(job(spin, [0])); // spin is a quick source in this worker now
    const quick = [0, 0, 0].map(() => pool.run(job(spin, [0])));
    const long = pool.run(job(spin, [3000], { timeoutMs: 300 }));
    await expect(Promise.all(quick)).resolves.toEqual([0, 0, 0]);
    await expect(long).rejects.toBeInstanceOf(TaskTimeoutError);
  });

  it("sends the answers of quick jobs before one that exits its process", async () => {
    await pool.run(job(exitBelowZero, [0]));
    const quick = [1, 2, 3].map((x) => pool.run(job(exitBelowZero, [x])));
    const dying = pool.run(job(exitBelowZero, [-1]));
    await expect(Promise.all(quick)).resolves.toEqual([1, 2, 3]);
    await expect(dying).rejects.toBeInstanceOf(JobProcessError);
  });

  it("stops one job of many that share a signal by its request", async () => {
    const shared = new AbortController();
    const running = job(nap, [2000], { signal: shared.signal });
    const ahead = job(pid, [], { signal: shared.signal });
    const [first, second, third] = [running, ahead, job(pid, [], { signal: shared.signal })].map(
      (request) => pool.run(request),
    );
    await new Promise((resolve) => setTimeout(resolve, 50));
    pool.abortRequest(ahead, "not this one");
    await expect(second).rejects.toBe("not this one");
    pool.abortRequest(running, "nor this one");
    await expect(first).rejects.toBe("nor this one");
    await expect(third).resolves.toBeTypeOf("number");
  });
});

describe("JobPool with long jobs", () => {
  const pool = createJobPool({ size: 1 });

  beforeAll(() => pool.warm());
  afterAll(() => pool.close());

  it("sends no job ahead to a worker whose last job was long", async () => {
    await pool.run(job(nap, [300]));
    const handed = handedTo();
    const first = pool.run(job(nap, [300]));
    const second = pool.run(job(pid, [], { onStart: handed.onStart }));
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(handed.pids).toEqual([]); // it waits in the pool, free for any worker
    await Promise.all([first, second]);
    expect(handed.pids).toHaveLength(1);
  });
});
