import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { openBroker } from "../../engine/durable/broker/broker-connection.js";
import { BrokerRunQueue } from "../../engine/durable/broker/broker-run-queue.js";
import { PUBLISH_WINDOW } from "../../engine/durable/broker/broker-worker.js";
import { toDataNode, type DataNode } from "../../engine/model/data-node.js";
import { SqliteStore } from "../../engine/store/sqlite/sqlite-store.js";
import { root } from "../support/built.js";
import {
  startWorker,
  testBroker,
  useShortLocks,
  type TestBroker,
  type WorkerProcess,
} from "../support/broker.js";
import { useCleanups } from "../support/cleanups.js";
import { FAN_OUT, effects } from "../support/fan-out.js";
import { until } from "../support/profile-farm.js";

// these tests wait for a killed worker's locks (or a lost claim's) to lapse
useShortLocks();

const cleanup = useCleanups();

async function setUp(kind: "redis" | "postgresql") {
  const broker: TestBroker = await testBroker(kind);
  cleanup(() => broker.dispose());
  const dir = mkdtempSync(join(tmpdir(), "workgraph-broker-"));
  cleanup(() => rmSync(dir, { recursive: true, force: true }));
  const module = join(dir, "fan-out.mjs");
  writeFileSync(
    module,
    FAN_OUT.replaceAll("WG", pathToFileURL(join(root, "dist", "index.js")).href),
  );
  const storeFile = join(dir, "shared.sqlite");
  const store = new SqliteStore(storeFile);
  cleanup(() => store.close());
  const queue = new BrokerRunQueue(store, openBroker({ url: broker.url, prefix: broker.prefix }));
  cleanup(() => queue.close());
  return { broker, dir, module, storeFile, store, queue };
}

describe.each(["redis", "postgresql"] as const)("workers on a %s broker", (kind) => {
  it("three workers run a flow of 300 job tasks; SIGKILL of the flow's worker mid-run loses nothing", async () => {
    const { broker, dir, module, storeFile, store, queue } = await setUp(kind);
    const workers: WorkerProcess[] = [];
    for (let i = 0; i < 3; i++) {
      const worker = await startWorker(broker, storeFile, ["--concurrency", "2"]);
      cleanup(() => worker.dispose());
      workers.push(worker);
    }
    const { pk } = queue.enqueue({
      name: "fanOut",
      flow: { kind: "module", module, export: "fanOut" },
      inputs: new Map<string, DataNode>([
        ["dir", toDataNode(dir)],
        ["n", toDataNode(300)],
      ]),
    });
    await queue.queued();
    // the worker that holds the flow, once a fifth of the tasks have had their side effect
    const holder = await until("a worker to start the run", () =>
      workers.find((w) => w.lines.some((line) => line.includes(`starting run ${pk}`))),
    );
    await until("60 side effects", () => (effects(dir).size >= 60 ? true : undefined));
    holder.kill();
    const startedAtKill = new Set(effects(dir).keys());
    const survivors = workers.filter((w) => w !== holder);
    await until("the run to end", () => {
      const state = store.node(pk)?.state;
      return state === "FINISHED" || state === "EXCEPTED" || state === "KILLED" ? state : undefined;
    });
    const run = store.node(pk)!;
    expect(run.state).toBe("FINISHED");
    const [ret] = store.links({ from: pk, type: "RETURN" });
    expect(JSON.parse(store.node(ret!.to)!.value!)).toBe(300 * 299);
    // one run, each call stored once, all FINISHED
    const tasks = store.tasks(pk);
    expect(tasks.filter((t) => /^unit\d*$/.test(t.name ?? ""))).toHaveLength(300);
    expect(tasks.every((t) => t.state === "FINISHED")).toBe(true);
    const seen = effects(dir);
    expect(seen.size).toBe(300);
    expect(Math.max(...seen.values())).toBeLessThanOrEqual(2);
    // only calls in flight on the killed machine run twice: run before the kill, at most the
    // publish window per job process (two)
    const twice = [...seen].filter(([, count]) => count === 2).map(([i]) => i);
    expect(twice.length).toBeLessThanOrEqual(2 * PUBLISH_WINDOW);
    for (const i of twice) expect(startedAtKill.has(i)).toBe(true);
    // another worker took the stalled run and continued it by replay
    expect(
      survivors.some((w) => w.lines.some((line) => line.includes(`continuing run ${pk}`))),
    ).toBe(true);
  }, 600_000);
});
