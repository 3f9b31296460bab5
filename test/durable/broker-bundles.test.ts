/**
 * Job tasks sent in numbers travel as bundles (several tasks per BullMQ job). A worker killed
 * mid-bundle leaves only its in-flight tasks (run, their results not yet published: at most
 * the publish window) to run twice: the bundle, run again by another worker, skips the tasks
 * whose results were already published. A task cancelled by
 * its sender before its bundle reaches it never runs.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { PUBLISH_WINDOW } from "../../engine/durable/broker/broker-worker.js";
import { checkJobSource, createBrokerJobs } from "../../engine/plumbing.js";
import type { JobExecutor } from "../../engine/execute/executor.js";
import { startWorker, testBroker, useShortLocks, type WorkerProcess } from "../support/broker.js";
import { useCleanups } from "../support/cleanups.js";
import { effects } from "../support/fan-out.js";
import { until } from "../support/profile-farm.js";

// these tests wait for a killed worker's locks (or a lost claim's) to lapse
useShortLocks();

const cleanup = useCleanups();

/** Appends `i` to `dir/effects.log` (its side effect), sleeps `ms`, returns `i * 2`. */
const unit = {
  taskName: "unit",
  source: checkJobSource(async function unit(dir: string, i: number, ms: number) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const fs = require("node:fs") as { appendFileSync(file: string, text: string): void };
    fs.appendFileSync(dir + "/effects.log", `${i}\n`);
    await new Promise((resolve) => setTimeout(resolve, ms));
    return i * 2;
  }, "unit"),
};

async function setUp(kind: "redis" | "postgresql") {
  const broker = await testBroker(kind);
  cleanup(() => broker.dispose());
  const dir = mkdtempSync(join(tmpdir(), "workgraph-bundles-"));
  cleanup(() => rmSync(dir, { recursive: true, force: true }));
  const store = join(dir, "worker.sqlite");
  const worker = async (): Promise<WorkerProcess> => {
    const started = await startWorker(broker, store, ["--jobs-only", "--concurrency", "1"]);
    cleanup(() => started.dispose());
    return started;
  };
  const jobs: JobExecutor = await createBrokerJobs({ url: broker.url, prefix: broker.prefix });
  cleanup(() => jobs.close());
  return { dir, worker, jobs };
}

describe.each(["redis", "postgresql"] as const)("bundles on a %s broker", (kind) => {
  // 20 ms tasks go to the job process one at a time; 1 ms ones are sent to it several at once
  it.each([
    { tasks: 320, ms: 20, killAfter: 5 },
    { tasks: 2_000, ms: 1, killAfter: 300 },
  ])(
    "a worker killed mid-bundle ($tasks tasks of $ms ms): the bundle runs again elsewhere, its answered tasks skipped",
    async ({ tasks, ms, killAfter }) => {
      const { dir, worker, jobs } = await setUp(kind);
      const first = await worker();
      // in one turn: 16 bundles of 20, or 32 of about 63
      const heard = new Set<number>();
      const results = Array.from({ length: tasks }, (_, i) =>
        jobs.run({ ...unit, args: [dir, i, ms], key: `bundled${i}-1` }).then((value) => {
          heard.add(i);
          return value;
        }),
      );
      await until(`${killAfter} side effects`, () =>
        effects(dir).size >= killAfter ? true : undefined,
      );
      first.kill();
      const heardAtKill = new Set(heard);
      const startedAtKill = new Set(effects(dir).keys());
      await worker();
      expect(await Promise.all(results)).toEqual(Array.from({ length: tasks }, (_, i) => i * 2));
      const seen = effects(dir);
      expect(seen.size).toBe(tasks);
      expect(Math.max(...seen.values())).toBeLessThanOrEqual(2);
      // only tasks in flight on the killed worker's one job process ran twice: run before the
      // kill, their results not yet heard, at most the publish window of them
      const twice = [...seen].filter(([, count]) => count === 2).map(([i]) => i);
      expect(twice.length).toBeLessThanOrEqual(PUBLISH_WINDOW);
      for (const i of twice) {
        expect(startedAtKill.has(i)).toBe(true);
        expect(heardAtKill.has(i)).toBe(false);
      }
    },
    300_000,
  );

  it("a bundled task cancelled before its bundle starts never runs", async () => {
    const { dir, worker, jobs } = await setUp(kind);
    await worker();
    const cancel = new AbortController();
    // 64 tasks in one turn: 16 bundles of 4, run one after the other by one job process
    const results = Array.from({ length: 64 }, (_, i) =>
      jobs.run({ ...unit, args: [dir, i, 100], ...(i === 63 ? { signal: cancel.signal } : {}) }),
    );
    await until("the first side effect", () => (effects(dir).size >= 1 ? true : undefined));
    cancel.abort(new Error("not wanted"));
    await expect(results[63]).rejects.toThrow("not wanted");
    expect(await Promise.all(results.slice(0, 63))).toEqual(
      Array.from({ length: 63 }, (_, i) => i * 2),
    );
    // the last bundle has run (its other tasks answered): the cancelled one was skipped
    expect(effects(dir).has(63)).toBe(false);
    expect(effects(dir).size).toBe(63);
  }, 300_000);
});
