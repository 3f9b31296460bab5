import { setTimeout as sleep } from "node:timers/promises";
import { afterEach, describe, expect, it } from "vitest";
import { run, task } from "../../engine/index.js";
import { PostgresStore } from "../../engine/store/postgres/postgres-store.js";
import { SqliteStore } from "../../engine/store/sqlite/sqlite-store.js";
import { StoreUnavailableError } from "../../engine/store/store-errors.js";
import { pgQuery, usePgSchemas } from "../support/postgres.js";
import { TcpProxy } from "../support/tcp-proxy.js";

const schemas = usePgSchemas();
const stores: (PostgresStore | SqliteStore)[] = [];
const proxies: TcpProxy[] = [];
afterEach(async () => {
  for (const store of stores.splice(0)) store.close();
  for (const proxy of proxies.splice(0)) await proxy.close();
});

function keep<S extends PostgresStore | SqliteStore>(store: S): S {
  stores.push(store);
  return store;
}

const step = task(async function step(i: number, previous: number) {
  await sleep(3);
  return previous + i;
});

async function chain(n: number) {
  let value = step(0, 0);
  for (let i = 1; i < n; i++) value = step(i, value.result);
  return { last: value.result };
}

const add = task(function add(x: number, y: number) {
  return x + y;
});

async function fanOut(n: number) {
  const parts = [];
  for (let i = 0; i < n; i++) parts.push(add(i, 1).result);
  return { n: add(n, 0).result };
}

/** Ends the server side of every connection of the store in `schema`; how many it ended. */
async function terminate(schema: string): Promise<number> {
  const ended = await pgQuery(
    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1",
    [`workgraph ${schema}`],
  );
  return ended.rowCount ?? 0;
}

/** A store behind a proxy, warmed up so it holds a large block of pks. */
async function storeBehindProxy(unavailableAfterMs?: number) {
  const proxy = new TcpProxy("127.0.0.1", 5432);
  proxies.push(proxy);
  await proxy.restore();
  const url = schemas.url().replace("127.0.0.1:5432", `127.0.0.1:${proxy.port}`);
  const store = keep(
    new PostgresStore(url, unavailableAfterMs !== undefined ? { unavailableAfterMs } : {}),
  );
  await run(fanOut, { n: 1500 }, { store, log: false });
  return { proxy, store, url };
}

describe("PostgreSQL connections lost mid-run", () => {
  it("a run whose connections the server ends, again and again, finishes with every row stored", async () => {
    const url = schemas.url();
    const schema = new URL(url).searchParams.get("schema") ?? "";
    const store = keep(new PostgresStore(url));
    const r = run(chain, { n: 150 }, { store, log: false });
    let settled = false;
    void r.done.then(() => (settled = true));
    let ended = 0;
    while (!settled) {
      await sleep(60);
      ended += await terminate(schema);
    }
    expect((await r).last.value).toBe((149 * 150) / 2);
    expect(ended).toBeGreaterThan(0);
    // Read back from a store opened afresh: what the server holds, not this process's memory.
    const reader = keep(new PostgresStore(url));
    const reference = keep(new SqliteStore(":memory:"));
    await run(chain, { n: 150 }, { store: reference, log: false });
    expect(reader.counts()).toEqual(reference.counts());
    expect(reader.node(r.pk)?.state).toBe("FINISHED");
    expect(reader.tasks(r.pk).every((t) => t.state === "FINISHED")).toBe(true);
    expect(reader.reports(r.pk).length).toBe(r.reports.length);
  }, 60_000);

  it("a run goes on while the port is blocked; its rows land when the server answers again", async () => {
    const { proxy, store, url } = await storeBehindProxy();
    const before = store.counts();
    const r = run(chain, { n: 100 }, { store, log: false });
    await sleep(100);
    await proxy.cut();
    await sleep(700);
    // Rows waited while the port was blocked: the run did not wait for them.
    expect(store.waiting).toBe(true);
    await proxy.restore();
    expect((await r).last.value).toBe((99 * 100) / 2);
    expect(store.flushWaiting(20_000)).toBe(true);
    const reader = keep(new PostgresStore(url.replace(/:\d+\//, ":5432/")));
    expect(reader.node(r.pk)?.state).toBe("FINISHED");
    expect(reader.taskCount(r.pk)).toBe(100);
    expect(reader.tasks(r.pk).every((t) => t.state === "FINISHED")).toBe(true);
    const added = reader.counts().nodes - before.nodes;
    expect(added).toBeGreaterThanOrEqual(1 + 100 * 2);
    const pks = reader.allNodes().map((n) => n.pk);
    expect(new Set(pks).size).toBe(pks.length);
  }, 60_000);

  it("ends the run with a clear reason when the server stays out of reach past the limit, and keeps its rows", async () => {
    const { proxy, store, url } = await storeBehindProxy(500);
    const long = task(async function long() {
      await sleep(30_000);
      return 1;
    });
    // The port is blocked before the run: its first rows already wait for the server.
    await proxy.cut();
    const r = run(async () => ({ x: long().result }), {}, { store, log: false });
    const outcome = await r.done;
    expect(outcome.state).toBe("EXCEPTED");
    expect(outcome.error).toBeInstanceOf(StoreUnavailableError);
    expect((outcome.error as Error).message).toMatch(/has been out of reach for \d+\.\d s/);
    expect((outcome.error as Error).message).not.toMatch(/locked/);
    await proxy.restore();
    expect(store.flushWaiting(20_000)).toBe(true);
    const reader = keep(new PostgresStore(url.replace(/:\d+\//, ":5432/")));
    expect(reader.node(r.pk)?.state).toBe("EXCEPTED");
    expect(reader.tasks(r.pk).map((t) => t.state)).toEqual(["KILLED"]);
  }, 60_000);
});
