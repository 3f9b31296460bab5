/**
 * A worker whose thread is stuck for longer than its jobs' lock keeps them: its lock keeper's
 * thread renews them meanwhile, so another worker's stalled check does not take them and run
 * them again; stuck for longer than the keeper's limit, it is taken to be stuck for good and
 * its jobs go to the other worker. The stuck thread is this test's own (blocked in
 * `Atomics.wait`); the other worker runs on a thread of its own, as on another machine.
 */
import { Worker } from "node:worker_threads";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { openBroker } from "../../engine/durable/broker/broker-connection.js";
import { LockKeeper } from "../../engine/durable/broker/lock-keeper.js";
import { built } from "../support/built.js";
import { testBroker } from "../support/broker.js";
import { useCleanups } from "../support/cleanups.js";

/** The shortest lock BullMQ's workers take here, renewed four times per lock. */
const TIMING = {
  lockDuration: 2_000,
  lockRenewTime: 500,
  stalledInterval: 500,
  maxStalledCount: 3,
} as const;
/** How long the holding thread is stuck: several locks. */
const STUCK_MS = 4 * TIMING.lockDuration;
/**
 * How long at most it is stuck waiting for the other worker to take its job (the lapse is
 * waited for, not timed: a loaded machine delays the other worker's stalled check).
 */
const UNTIL_TAKEN_MS = 60_000;

// The other worker, on a thread of its own: ready (connected, not yet taking jobs) before the
// job is added, it starts once the job is held here, then takes every job of \`probe\` whose lock
// lapsed (its stalled check) and tells which. It answers "ping" with "pong" after all it told
// before: its messages come in order, so the pong means every "taken" has been heard.
const OTHER_WORKER = `
const { parentPort, workerData } = require("node:worker_threads");
void (async () => {
  const { openBroker } = await import(workerData.connection);
  const broker = openBroker({ url: workerData.url, prefix: workerData.prefix });
  const worker = new broker.classes.Worker(
    "probe",
    async (job) => {
      Atomics.store(workerData.taken, 0, 1);
      Atomics.notify(workerData.taken, 0);
      parentPort.postMessage({ taken: job.id });
      return "other";
    },
    { ...broker.options, ...workerData.timing, autorun: false },
  );
  worker.on("error", () => undefined);
  await worker.waitUntilReady();
  parentPort.on("message", (message) => {
    if (message === "start") void worker.run();
    else if (message === "ping") parentPort.postMessage({ pong: true });
    else void worker.close().finally(() => parentPort.close());
  });
  parentPort.postMessage({ ready: true });
})();
`;

const cleanup = useCleanups();

/**
 * Runs one job on a worker whose thread gets stuck, its keeper giving up after `maxStallMs`:
 * for {@link STUCK_MS}, or (`untilTaken`) until the other worker has taken the job; the worker
 * the job ended on, and the job ids the other worker took.
 */
async function stuckHolder(kind: "redis" | "postgresql", maxStallMs: number, untilTaken = false) {
  const taken = new Int32Array(new SharedArrayBuffer(4));
  const test = await testBroker(kind);
  cleanup(() => test.dispose());
  const broker = openBroker({ url: test.url, prefix: test.prefix });
  const keeperErrors: Error[] = [];
  const keeper = new LockKeeper(
    broker,
    ["probe"],
    4,
    { lockDuration: TIMING.lockDuration, renewEveryMs: TIMING.lockRenewTime / 2, maxStallMs },
    (error) => keeperErrors.push(error),
  );
  cleanup(() => keeper.close());
  const other = new Worker(OTHER_WORKER, {
    eval: true,
    workerData: {
      connection: pathToFileURL(built("engine/durable/broker/broker-connection.js")).href,
      url: test.url,
      prefix: test.prefix,
      timing: TIMING,
      taken,
    },
  });
  const takenElsewhere: string[] = [];
  let ponged: () => void = () => undefined;
  const otherReady = new Promise<void>((resolve) =>
    other.on("message", (message: { ready?: true; taken?: string; pong?: true }) => {
      if (message.ready === true) resolve();
      if (message.taken !== undefined) takenElsewhere.push(message.taken);
      if (message.pong === true) ponged();
    }),
  );
  cleanup(async () => {
    const exited = new Promise((resolve) => other.once("exit", resolve));
    other.postMessage("close");
    await exited;
  });
  const stuck = new Int32Array(new SharedArrayBuffer(4));
  const holder = new broker.classes.Worker(
    "probe",
    async (job, token) => {
      const kept = keeper.hold("probe", job.id, token);
      try {
        other.postMessage("start");
        // this thread runs nothing meanwhile: neither BullMQ's renewal nor its stalled check
        if (untilTaken) Atomics.wait(taken, 0, 0, UNTIL_TAKEN_MS);
        else Atomics.wait(stuck, 0, 0, STUCK_MS);
        return await Promise.resolve("holder");
      } finally {
        keeper.release(kept);
      }
    },
    { ...broker.options, ...TIMING, concurrency: 1 },
  );
  holder.on("error", () => undefined);
  cleanup(() => holder.close());
  const queue = new broker.classes.Queue("probe", broker.options);
  cleanup(() => queue.close());
  await Promise.all([holder.waitUntilReady(), queue.waitUntilReady(), keeper.ready(), otherReady]);

  const { id } = await queue.add("probe", {});
  let returned: unknown;
  for (;;) {
    const job = await queue.getJob(id!);
    if (job?.finishedOn !== undefined) {
      returned = job.returnvalue;
      break;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  // the job's end can be read from the broker before the other thread's "taken" is heard here
  const heard = new Promise<void>((resolve) => (ponged = resolve));
  other.postMessage("ping");
  await heard;
  return { returned, takenElsewhere, keeperErrors, id };
}

describe.each(["redis", "postgresql"] as const)("the lock keeper on %s", (kind) => {
  it("keeps a job's lock while the worker's thread is stuck for several locks", async () => {
    const { returned, takenElsewhere, keeperErrors } = await stuckHolder(kind, 10 * STUCK_MS);
    expect(returned).toBe("holder");
    expect(takenElsewhere).toEqual([]);
    expect(keeperErrors).toEqual([]);
  }, 120_000);

  it("lets the lock lapse once the thread is stuck for longer than its limit", async () => {
    const stuck = await stuckHolder(kind, TIMING.lockRenewTime, true);
    expect(stuck.takenElsewhere).toEqual([stuck.id]);
    expect(stuck.returned).toBe("other");
    expect(stuck.keeperErrors).toEqual([]);
  }, 120_000);
});
