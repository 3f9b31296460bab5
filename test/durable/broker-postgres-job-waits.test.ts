/**
 * Idle workers of the `jobs` queue on the PostgreSQL broker: only the baton's holder listens
 * for new jobs (`postgres-job-waits.ts`), the others wait for the baton listening on nothing.
 * A job added while the holder is busy, or after the holder closed, is still run, by a worker
 * that got the baton then. The workers' waits last 300 s (`drainDelay`), so a job found only
 * when a wait ends would time the test out.
 */
import { setTimeout as sleep } from "node:timers/promises";
import type { Worker } from "bullmq";
import { expect, it } from "vitest";
import { openBroker, QUEUE_NAMES } from "../../engine/durable/broker/broker-connection.js";
import { testBroker } from "../support/broker.js";
import { useCleanups } from "../support/cleanups.js";
import { waitFor } from "../support/wait-for.js";

const cleanup = useCleanups();

it("a job added while the holder is busy, or after it closed, is run by another idle worker", async () => {
  const space = await testBroker("postgresql");
  cleanup(() => space.dispose());
  const broker = openBroker(space);
  const queue = new broker.classes.Queue(QUEUE_NAMES.jobs, broker.options);
  cleanup(() => queue.close());
  /** The worker that ran each job, by job name. */
  const ranBy = new Map<string, number>();
  let openGate: () => void = () => undefined;
  const gate = new Promise<void>((resolve) => (openGate = resolve));
  cleanup(() => openGate());
  const workers: Worker[] = [0, 1, 2].map((index) => {
    const worker = new broker.classes.Worker(
      QUEUE_NAMES.jobs,
      async (job) => {
        ranBy.set(job.name, index);
        if (job.name === "slow") await gate;
      },
      { ...broker.options, concurrency: 1, drainDelay: 300 },
    );
    worker.on("error", () => undefined);
    cleanup(() => worker.close());
    return worker;
  });
  await Promise.all([queue.waitUntilReady(), ...workers.map((w) => w.waitUntilReady())]);
  // each worker has waited once: all but the holder wait for the baton
  await sleep(500);

  await queue.add("slow", {});
  await waitFor("the slow job to start", () => ranBy.has("slow"));
  await queue.add("while-busy", {});
  await waitFor("the job added while the holder is busy", () => ranBy.has("while-busy"));
  expect(ranBy.get("while-busy")).not.toBe(ranBy.get("slow"));

  // the worker that ran the last job holds the baton: closed, it hands the baton over
  await workers[ranBy.get("while-busy")!]!.close();
  await queue.add("after-close", {});
  await waitFor("the job added after the holder closed", () => ranBy.has("after-close"));
  expect(ranBy.get("after-close")).not.toBe(ranBy.get("while-busy"));
  openGate();
}, 120_000);
