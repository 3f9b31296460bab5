/**
 * A continued run finds every bundle its tasks were sent in, even one that changes state while
 * the bundles are listed: after each of the listing's reads from the broker, the bundle is
 * moved on the real broker as a worker would move it (taken from waiting, moved back by a
 * stalled check, completed), and the listing still names it for each of its keyed tasks.
 */
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { openBroker, type Broker } from "../../engine/durable/broker/broker-connection.js";
import { BUNDLE_JOB, type BundleData } from "../../engine/durable/broker/job-wire.js";
import { sentBundles, type JobLister } from "../../engine/durable/broker/sent-bundles.js";
import { testBroker } from "../support/broker.js";
import { useCleanups } from "../support/cleanups.js";

const cleanup = useCleanups();

/** How a worker moves a bundle: from `from`, with the token of the worker holding it. */
type Move = "take" | "stall" | "complete";
const MOVES: readonly { readonly from: "waiting" | "active"; readonly move: Move }[] = [
  { from: "waiting", move: "take" },
  { from: "active", move: "stall" },
  { from: "active", move: "complete" },
];

/** A queue of its own holding one bundle of two keyed tasks and a task sent alone. */
async function oneBundle(broker: Broker, from: "waiting" | "active") {
  const name = `jobs-${randomUUID()}`;
  const queue = new broker.classes.Queue(name, broker.options);
  const worker = new broker.classes.Worker(name, null, { ...broker.options, autorun: false });
  cleanup(() => queue.close());
  cleanup(() => worker.close());
  const task = { taskName: "unit", source: "", args: "[]" };
  const data: BundleData = {
    replyTo: "results-x",
    tasks: [
      { id: "task-7-1", ...task },
      { id: "task-8-1", ...task },
    ],
  };
  await queue.add(BUNDLE_JOB, data, { jobId: "bundle-task-7-1" });
  await queue.add("job", { ...task, replyTo: "results-x" }, { jobId: "task-9-1" });
  const token = randomUUID();
  let held: Awaited<ReturnType<typeof worker.getNextJob>>;
  const take = async (): Promise<void> => {
    held = await worker.getNextJob(token);
    // the bundle went in first: it is the one taken
    expect(held?.id).toBe("bundle-task-7-1");
  };
  if (from === "active") await take();
  const move = async (how: Move): Promise<void> => {
    if (how === "take") await take();
    else if (how === "stall") await held!.moveToWait(token);
    else await held!.moveToCompleted({ results: [] }, token, false);
  };
  return { queue, move };
}

describe.each(["redis", "postgresql"] as const)("bundles listed on a %s broker", (kind) => {
  it.each(MOVES)(
    "finds a bundle moved from $from ($move) after any read",
    async ({ from, move }) => {
      const namespace = await testBroker(kind);
      cleanup(() => namespace.dispose());
      const broker = openBroker({ url: namespace.url, prefix: namespace.prefix });
      // a listing reads the broker this many times with one bundle on it (counted below)
      let reads = 0;
      for (let after = 0; after <= reads || reads === 0; after++) {
        const { queue, move: moveIt } = await oneBundle(broker, from);
        let count = 0;
        const lister: JobLister = {
          getJobs: async (...args) => {
            const jobs = await queue.getJobs(...args);
            if (++count === after) await moveIt(move);
            return jobs;
          },
        };
        const found = await sentBundles(lister);
        reads = count;
        expect(found, `moved after read ${after} of ${count}`).toEqual(
          new Map([
            ["task-7-1", "bundle-task-7-1"],
            ["task-8-1", "bundle-task-7-1"],
          ]),
        );
      }
      expect(reads).toBeGreaterThan(2);
    },
  );
});
