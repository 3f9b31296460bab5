/**
 * Faults on the services of job tasks sent through a broker, on real Redis and PostgreSQL:
 * the network to the broker cut mid-run (a TCP proxy of the test's own, so no other test is
 * touched), and the store's PostgreSQL connections ended by the server. The run goes on once
 * the service answers again, or ends naming the lost service; what was stored stays stored.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { setTimeout as sleep } from "node:timers/promises";
import { describe, expect, it, vi } from "vitest";
import { openBroker } from "../../engine/durable/broker/broker-connection.js";
import { BrokerRunQueue } from "../../engine/durable/broker/broker-run-queue.js";
import { Bus } from "../../engine/durable/broker/bus.js";
import { followOnBus } from "../../engine/durable/broker/bus-follower.js";
import { ResultInbox, ResultOutbox } from "../../engine/durable/broker/job-results.js";
import { encodeValue } from "../../engine/durable/broker/job-wire.js";
import { run, task, type JobExecutor } from "../../engine/index.js";
import { toDataNode } from "../../engine/model/data-node.js";
import { GraphModel } from "../../engine/model/graph-model.js";
import { storedRunGraph } from "../../engine/store/queries/stored-run-graph.js";
import { createBrokerJobs } from "../../engine/plumbing.js";
import { PostgresStore } from "../../engine/store/postgres/postgres-store.js";
import { SqliteStore } from "../../engine/store/sqlite/sqlite-store.js";
import { startWorker, testBroker, type TestBroker } from "../support/broker.js";
import { root } from "../support/built.js";
import { useCleanups } from "../support/cleanups.js";
import { pgQuery, usePgSchemas } from "../support/postgres.js";
import { CHAIN, stepLines } from "../support/step-log.js";
import { TcpProxy } from "../support/tcp-proxy.js";

// the workers keep the 20 s lock: a cut outlasting a 5 s lock (useShortLocks) let a live
// worker's job lapse mid-cut, and the run on a PostgreSQL broker ended EXCEPTED

const TASKS = 80;

const cleanup = useCleanups();
const schemas = usePgSchemas();

const slowDouble = task.job(async function slowDouble(i: number) {
  await new Promise((resolve) => setTimeout(resolve, 40));
  return i * 2;
});

async function doubles(n: number) {
  const parts = [];
  for (let i = 0; i < n; i++) parts.push(slowDouble(i).result);
  const total = task(function total(values: number[]) {
    return values.reduce((a, b) => a + b, 0);
  });
  return { total: total(parts).result };
}

/** The pks of the tasks `read` finds FINISHED in run `pk`. */
type FinishedReader = (pk: number) => Set<number>;

async function until(what: string, probe: () => boolean, ms = 120_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!probe()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

/** Two `workgraph worker --jobs-only` processes on `broker` (`concurrency` job processes each, or the worker's default). */
async function startJobWorkers(broker: TestBroker, concurrency?: number): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "workgraph-faults-"));
  cleanup(() => rmSync(dir, { recursive: true, force: true }));
  for (let i = 0; i < 2; i++) {
    const args = [
      "--jobs-only",
      ...(concurrency === undefined ? [] : ["--concurrency", `${concurrency}`]),
    ];
    const worker = await startWorker(broker, join(dir, `worker-${i}.sqlite`), args);
    cleanup(() => worker.dispose());
  }
}

/** A sender's result stream on `broker` named `name`, and the job ids it has heard. */
function resultInbox(broker: TestBroker, name: string): { inbox: ResultInbox; heard: string[] } {
  const heard: string[] = [];
  const inbox = new ResultInbox(openBroker(broker), name, (results) => {
    for (const [jobId] of results) heard.push(jobId);
  });
  cleanup(() => inbox.close());
  return { inbox, heard };
}

/** A worker's publisher of results on `broker`. */
function resultOutbox(broker: TestBroker): ResultOutbox {
  const outbox = new ResultOutbox(openBroker(broker));
  cleanup(() => outbox.close());
  return outbox;
}

/** Two job workers on `broker` (see startJobWorkers), and an executor that sends to them. */
async function workersOn(broker: TestBroker, unavailableAfterMs?: number): Promise<JobExecutor> {
  await startJobWorkers(broker, 2);
  const jobs = await createBrokerJobs({
    url: broker.url,
    prefix: broker.prefix,
    ...(unavailableAfterMs !== undefined ? { unavailableAfterMs } : {}),
  });
  cleanup(() => jobs.close());
  return jobs;
}

/** `broker`'s namespace, reached through a proxy of this test's own. */
async function behindProxy(kind: "redis" | "postgresql"): Promise<{
  broker: TestBroker;
  proxy: TcpProxy;
}> {
  const real = await testBroker(kind);
  cleanup(() => real.dispose());
  const proxy = new TcpProxy("127.0.0.1", kind === "redis" ? 6379 : 5432);
  cleanup(() => proxy.close());
  await proxy.restore();
  const url = real.url.replace(/127\.0\.0\.1:\d+/, `127.0.0.1:${proxy.port}`);
  return { broker: { ...real, url }, proxy };
}

/** Runs the flow and cuts the proxy once some tasks are stored FINISHED, for `cutMs`. */
async function runThroughCut(
  store: SqliteStore | PostgresStore,
  finished: FinishedReader,
  jobs: JobExecutor,
  cut: () => Promise<void>,
  restore: () => Promise<void>,
) {
  const r = run(doubles, { n: TASKS }, { store, jobs, log: false });
  await until("ten tasks stored FINISHED", () => finished(r.pk).size >= 10);
  await cut();
  const before = finished(r.pk);
  await sleep(1_500);
  await restore();
  const outcome = await r.done;
  const after = finished(r.pk);
  return { r, outcome, before, after };
}

describe.each(["redis", "postgresql"] as const)("job tasks on a %s broker", (kind) => {
  it("the network to the broker cut mid-run: workers and sender reconnect, the run finishes, nothing stored is lost", async () => {
    const { broker, proxy } = await behindProxy(kind);
    const jobs = await workersOn(broker);
    const dir = mkdtempSync(join(tmpdir(), "workgraph-faults-store-"));
    cleanup(() => rmSync(dir, { recursive: true, force: true }));
    const file = join(dir, "store.sqlite");
    const store = new SqliteStore(file);
    cleanup(() => store.close());
    // a second connection to the file reads what is on disk, not the writer's memory
    const reader = new SqliteStore(file);
    cleanup(() => reader.close());
    const finished: FinishedReader = (pk) =>
      new Set(
        reader
          .tasks(pk)
          .filter((t) => t.state === "FINISHED")
          .map((t) => t.pk),
      );
    const { r, outcome, before, after } = await runThroughCut(
      store,
      finished,
      jobs,
      () => proxy.cut(),
      () => proxy.restore(),
    );
    expect(outcome.state).toBe("FINISHED");
    expect((await r).total.value).toBe(TASKS * (TASKS - 1));
    expect(before.size).toBeGreaterThanOrEqual(10);
    for (const pk of before) expect(after.has(pk)).toBe(true);
    expect(after.size).toBe(TASKS + 1);
  }, 240_000);
});

describe("a worker's first result for a sender, ready while the PostgreSQL broker is out of reach", () => {
  it("reaches the sender once the broker answers again", async () => {
    // a worker makes the producer of a sender's result stream on its first result for it: made
    // during a cut, it must still connect afterwards (BullMQ keeps a failed first connection)
    const { broker, proxy } = await behindProxy("postgresql");
    const { inbox, heard } = resultInbox(broker, "first");
    await inbox.ready();
    await proxy.cut();
    const outbox = resultOutbox(broker);
    const sent = outbox.send(inbox.name, "job-1", { ok: true, value: encodeValue(2), output: [] });
    // the first tries are refused
    await sleep(500);
    await proxy.restore();
    await sent;
    await until("the sender to hear the result", () => heard.includes("job-1"), 60_000);
  }, 120_000);
});

describe.each(["redis", "postgresql"] as const)(
  "a sender made while the %s broker is out of reach",
  (kind) => {
    it("reads its result stream once the broker answers: its job tasks finish", async () => {
      const { broker, proxy } = await behindProxy(kind);
      // the workers connect first; the sender's reader first tries during the cut
      await startJobWorkers(broker);
      await proxy.cut();
      const jobs = await createBrokerJobs({ url: broker.url, prefix: broker.prefix });
      cleanup(() => jobs.close());
      await sleep(1_500);
      await proxy.restore();
      const store = new SqliteStore(":memory:");
      cleanup(() => store.close());
      const r = run(doubles, { n: 3 }, { store, jobs, log: false });
      const outcome = await r.done;
      expect(outcome.error).toBeUndefined();
      expect(outcome.state).toBe("FINISHED");
      expect((await r).total.value).toBe(6);
    }, 240_000);

    it("a result stream first read during the cut hears the results published after it", async () => {
      // no read-back here: only the stream's reader can hear the result
      const { broker, proxy } = await behindProxy(kind);
      await proxy.cut();
      const { inbox, heard } = resultInbox(broker, "late");
      await sleep(1_500);
      await proxy.restore();
      await inbox.ready();
      await resultOutbox(broker).send(inbox.name, "job-1", {
        ok: true,
        value: encodeValue(2),
        output: [],
      });
      await until("the sender to hear the result", () => heard.includes("job-1"), 60_000);
    }, 120_000);
  },
);

describe.each(["redis", "postgresql"] as const)(
  "a bus subscriber made while the %s broker is out of reach",
  (kind) => {
    it("hears what is published once the broker answers", async () => {
      const { broker, proxy } = await behindProxy(kind);
      await proxy.cut();
      const listener = new Bus(openBroker(broker));
      cleanup(() => listener.close());
      const heard: string[] = [];
      const subscribed = listener.subscribe((message) => {
        if (message.kind === "cancel-job") heard.push(message.jobId);
      });
      await sleep(1_500);
      await proxy.restore();
      await subscribed;
      const speaker = new Bus(openBroker(broker));
      cleanup(() => speaker.close());
      // published until heard: only the subscriber's reader can hear it
      for (let i = 0; !heard.includes("job-1") || i === 0; i++) {
        if (i > 600) throw new Error("timed out waiting for the subscriber to hear the bus");
        await speaker.publish({ kind: "cancel-job", jobId: "job-1" });
        await sleep(100);
      }
    }, 120_000);
  },
);

describe("job tasks whose store is PostgreSQL", () => {
  it("the store's connections ended by the server mid-run: the run finishes with every row, nothing stored is lost", async () => {
    const broker = await testBroker("redis");
    cleanup(() => broker.dispose());
    const jobs = await workersOn(broker);
    const url = schemas.url();
    const schema = new URL(url).searchParams.get("schema") ?? "";
    const store = new PostgresStore(url);
    cleanup(() => store.close());
    const finished: FinishedReader = (pk) => {
      // a store opened afresh reads what the server holds
      const reader = new PostgresStore(url);
      try {
        return new Set(
          reader
            .tasks(pk)
            .filter((t) => t.state === "FINISHED")
            .map((t) => t.pk),
        );
      } finally {
        reader.close();
      }
    };
    let ended = 0;
    const { r, outcome, before, after } = await runThroughCut(
      store,
      finished,
      jobs,
      async () => {
        const result = await pgQuery(
          "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1",
          [`workgraph ${schema}`],
        );
        ended += result.rowCount ?? 0;
      },
      async () => undefined,
    );
    expect(ended).toBeGreaterThan(0);
    expect(outcome.state).toBe("FINISHED");
    expect((await r).total.value).toBe(TASKS * (TASKS - 1));
    expect(before.size).toBeGreaterThanOrEqual(10);
    for (const pk of before) expect(after.has(pk)).toBe(true);
    expect(after.size).toBe(TASKS + 1);
  }, 240_000);
});

describe("job tasks when the broker stays out of reach", () => {
  it("ends the run naming the lost broker, and keeps what was stored", async () => {
    const { broker, proxy } = await behindProxy("postgresql");
    const jobs = await workersOn(broker, 3_000);
    await proxy.cut();
    const store = new SqliteStore(":memory:");
    cleanup(() => store.close());
    const r = run(doubles, { n: 3 }, { store, jobs, log: false });
    const outcome = await r.done;
    expect(outcome.state).toBe("EXCEPTED");
    const failed = store.tasks(r.pk).filter((t) => t.name?.startsWith("slowDouble"));
    expect(failed.length).toBe(3);
    expect(failed.every((t) => t.state === "FAILED")).toBe(true);
    // the run's error, or the task error it carries, names the broker
    const messages: string[] = [];
    for (let e: unknown = outcome.error; e instanceof Error; e = e.cause) messages.push(e.message);
    expect(messages.join(" / ")).toMatch(/PostgreSQL broker at postgresql:\/\/.*is out of reach/);
    for (const t of failed) {
      const stored = JSON.parse(t.attributes ?? "{}") as { error?: { message?: string } };
      expect(stored.error?.message).toMatch(/PostgreSQL broker .* is out of reach/);
    }
  }, 240_000);
});

describe("a follower whose bus connection is cut mid-run", () => {
  it("ends on the stored run, from the store, and prints nothing of the lost connection", async () => {
    // the worker reaches Redis directly; only the follower goes through the proxy
    const { broker, proxy } = await behindProxy("redis");
    const real = { ...broker, url: "redis://127.0.0.1:6379" };
    const dir = mkdtempSync(join(tmpdir(), "workgraph-faults-bus-"));
    cleanup(() => rmSync(dir, { recursive: true, force: true }));
    const module = join(dir, "chain.mjs");
    writeFileSync(
      module,
      CHAIN.replaceAll("WG", pathToFileURL(join(root, "dist", "index.js")).href),
    );
    const file = join(dir, "shared.sqlite");
    const store = new SqliteStore(file);
    cleanup(() => store.close());
    const worker = await startWorker(real, file, ["-c", "1"]);
    cleanup(() => worker.dispose());
    const queue = new BrokerRunQueue(store, openBroker({ url: real.url, prefix: real.prefix }));
    cleanup(() => queue.close());
    // steps 3 to 6 take 1.5 s each: the run goes on for seconds after the cut
    const inputs = { dir, steps: 6, ms: 1500 };
    const { pk } = queue.enqueue({
      name: "chain",
      flow: { kind: "module", module, export: "chain" },
      inputs: new Map(Object.entries(inputs).map(([k, v]) => [k, toDataNode(v)])),
    });
    await queue.queued();
    const printed: unknown[][] = [];
    const spy = vi.spyOn(console, "error").mockImplementation((...args) => printed.push(args));
    cleanup(() => spy.mockRestore());
    const model = new GraphModel({ name: "chain", pk, state: "CREATED", tasks: [], edges: [] });
    const uuid = store.node(pk)!.uuid;
    const followed = followOnBus(
      `redis://127.0.0.1:${proxy.port}?prefix=${broker.prefix}`,
      store,
      { pk, uuid, name: "chain" },
      (event) => model.apply(event),
    );
    await until("the follower to hear a step end", () =>
      model.graph().tasks.some((t) => t.state === "FINISHED"),
    );
    await proxy.cut();
    expect(store.node(pk)?.state).not.toBe("FINISHED");
    // the run ends while the follower's connection is cut: it finds the end in the store
    await until("the run to end", () => store.node(pk)?.state === "FINISHED");
    await followed;
    expect(stepLines(dir).filter((l) => l.what === "end")).toHaveLength(6);
    const shape = (graph: ReturnType<GraphModel["graph"]>) => ({
      state: graph.state,
      tasks: graph.tasks.map((t) => [t.id, t.pk, t.name, t.state, t.value]),
      edges: graph.edges.map((e) => [e.from, e.to]),
    });
    expect(shape(model.graph())).toEqual(shape(storedRunGraph(store, pk)!));
    expect(model.graph().state).toBe("FINISHED");
    await proxy.restore();
    expect(printed.map((args) => args.map(String).join(" ")).join("\n")).not.toMatch(
      /ECONNREFUSED|ECONNRESET/,
    );
  }, 240_000);
});
