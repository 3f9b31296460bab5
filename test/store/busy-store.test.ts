import { setTimeout as sleep } from "node:timers/promises";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { run, task } from "../../engine/index.js";
import { SqliteStore } from "../../engine/store/sqlite/sqlite-store.js";
import { StoreUnavailableError } from "../../engine/store/store-errors.js";
import { startFixture, type FixtureProcess } from "../support/fixture-process.js";
import { useTempHome } from "../support/temp-home.js";

const home = useTempHome();
const holders: FixtureProcess[] = [];
const stores: SqliteStore[] = [];
afterEach(async () => {
  for (const holder of holders.splice(0)) {
    if (holder.child.exitCode === null) holder.child.kill("SIGKILL");
    await holder.exited();
  }
  for (const store of stores.splice(0)) store.close();
});

const add = task(function add(x: number, y: number) {
  return x + y;
});
const slow = task(async function slow(x: number) {
  await sleep(20);
  return x * 2;
});

async function fanOut(n: number) {
  const parts = [];
  for (let i = 0; i < n; i++) parts.push(slow(i).result);
  let sum = add(0, 0).result;
  for (const part of parts) sum = add(sum, part).result;
  return { sum };
}

/** Starts another process that holds the store's write lock; resolves once it does. */
async function holdLock(file: string, ms: number): Promise<FixtureProcess> {
  const holder = startFixture("hold-write-lock.ts", [file, String(ms)], home.path);
  holders.push(holder);
  await holder.waitForLine(/^locked$/);
  return holder;
}

async function until(check: () => boolean, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`not so within ${ms} ms`);
    await sleep(25);
  }
}

describe("a store another process keeps locked", () => {
  it("a run goes on in memory while another process writes for longer than the busy timeout, and its rows land afterwards", async () => {
    const file = join(home.scratch(), "busy.sqlite");
    const store = new SqliteStore(file);
    stores.push(store);
    // Something stored before the other writer comes: the run links to committed rows too.
    await run(async () => ({ one: add(0, 1).result }), {}, { store, log: false });
    const holder = await holdLock(file, 7000);
    const started = Date.now();
    const r = run(fanOut, { n: 30 }, { store, log: false });
    const results = await r;
    expect(results.sum.value).toBe(870);
    expect(r.state).toBe("FINISHED");
    // It finished while the lock was held: nothing waited on the store.
    expect(holder.child.exitCode).toBeNull();
    expect(Date.now() - started).toBeLessThan(7000);
    expect(store.node(r.pk)).toBeUndefined();
    await holder.exited();
    await until(() => store.node(r.pk)?.state === "FINISHED");
    expect(store.taskCount(r.pk)).toBe(61);
    expect(store.tasks(r.pk).every((t) => t.state === "FINISHED")).toBe(true);
    expect(store.reports(r.pk).length).toBe(r.reports.length);
    const pks = store.allNodes().map((n) => n.pk);
    expect(new Set(pks).size).toBe(pks.length);
  }, 30_000);

  it("ends the run with a clear reason when the store stays locked past the limit, and keeps its rows", async () => {
    const file = join(home.scratch(), "locked.sqlite");
    const store = new SqliteStore(file, { unavailableAfterMs: 1000 });
    stores.push(store);
    const holder = await holdLock(file, 600_000);
    const long = task(async function long() {
      await sleep(30_000);
      return 1;
    });
    const r = run(async () => ({ x: long().result }), {}, { store, log: false });
    const outcome = await r.done;
    expect(outcome.state).toBe("EXCEPTED");
    expect(outcome.error).toBeInstanceOf(StoreUnavailableError);
    expect((outcome.error as Error).message).toMatch(/locked by another process/);
    expect((outcome.error as Error).message).toContain(file);
    holder.child.kill("SIGKILL");
    await holder.exited();
    await until(() => store.node(r.pk)?.state === "EXCEPTED");
    expect(store.tasks(r.pk).map((t) => t.state)).toEqual(["KILLED"]);
  }, 30_000);
});
