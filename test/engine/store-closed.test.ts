/**
 * A run whose store is closed under it (its process shutting down while tasks still run): the
 * next write is refused, and the run ends EXCEPTED saying so, instead of the refusal escaping
 * from the job's promise as an unhandled rejection and `done` never settling.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { run, task, type JobExecutor } from "../../engine/index.js";
import { SqliteStore } from "../../engine/store/sqlite/sqlite-store.js";

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const double = task.job(function double(i: number) {
  return i * 2;
});

function twoDoubles() {
  return { a: double(1).result, b: double(2).result };
}

/** Jobs that end when the test says so. */
function heldJobs() {
  const held: { resolve(value: unknown): void; reject(error: unknown): void }[] = [];
  const jobs: JobExecutor = {
    concurrency: 2,
    run: () => new Promise((resolve, reject) => held.push({ resolve, reject })),
    pids: () => [],
    close: async () => undefined,
  };
  return { held, jobs };
}

describe("a run whose store is closed under it", () => {
  it.each([
    ["fails", (job: { reject(error: unknown): void }) => job.reject(new Error("worker gone"))],
    ["finishes", (job: { resolve(value: unknown): void }) => job.resolve(2)],
  ])("ends EXCEPTED naming the closed store when a job then %s", async (_, end) => {
    const dir = mkdtempSync(join(tmpdir(), "workgraph-closed-"));
    dirs.push(dir);
    const store = new SqliteStore(join(dir, "store.sqlite"));
    const { held, jobs } = heldJobs();
    const r = run(twoDoubles, {}, { store, jobs, log: false });
    await expect.poll(() => held.length).toBe(2);
    store.close();
    end(held[0]!);
    const outcome = await r.done;
    expect(outcome.state).toBe("EXCEPTED");
    expect(outcome.error).toMatchObject({ name: "StoreWriteError" });
    expect(String((outcome.error as Error).message)).toMatch(/store\.sqlite.*closed/);
    // the other job's end changes nothing more
    end(held[1]!);
    await new Promise((resolve) => setImmediate(resolve));
  });
});
