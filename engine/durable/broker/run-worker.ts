/**
 * `workgraph worker` in a process: opens the profile's store and broker, starts a worker, and
 * stops it on SIGTERM/SIGINT (the runs it held are continued by another worker by replay).
 */
import * as packageEntry from "../../index.js";
import { openProfile, profileConfig } from "../../store/open-profile.js";
import { BrokerUrlError } from "./broker-errors.js";
import type { BrokerWorker } from "./broker-worker.js";

/** Where a worker takes its work from, and how much at once. */
export interface RunWorkerOptions {
  /** The profile whose store (SQLite or PostgreSQL) and broker the worker uses. */
  readonly profile: string;
  /** The broker URL (`redis://…` or `postgresql://…`); the profile's broker by default. */
  readonly broker?: string;
  /** The namespace of the profile's queues on the broker. */
  readonly brokerPrefix?: string;
  /** The shared store file, instead of the profile's own. */
  readonly store?: string;
  readonly concurrency: number;
  readonly jobsOnly: boolean;
  readonly log?: (text: string) => void;
}

/** Starts a worker in this process; it runs until the process is told to stop. */
export async function runWorker(options: RunWorkerOptions): Promise<BrokerWorker> {
  const log =
    options.log ??
    ((text: string) => console.log(`${new Date().toISOString()} [${process.pid}] ${text}`));
  // BullMQ loads here, not with every command that imports the plumbing
  const { openBroker } = await import("./broker-connection.js");
  const { startBrokerWorker } = await import("./broker-worker.js");
  const profile = openProfile(
    options.profile,
    options.store !== undefined ? { file: options.store } : {},
  );
  const url = options.broker ?? profile.broker ?? profileConfig(options.profile).broker;
  if (url === undefined) {
    profile.store.close();
    throw new BrokerUrlError(`profile ${options.profile}`, "it names no broker");
  }
  const broker = openBroker({
    url,
    ...(options.brokerPrefix !== undefined ? { prefix: options.brokerPrefix } : {}),
  });
  const { store } = profile;
  const worker = await startBrokerWorker({
    profile: options.profile,
    broker,
    store,
    concurrency: options.concurrency,
    jobsOnly: options.jobsOnly,
    packageEntry,
    log,
  });
  const stop = (why: string): void => {
    log(`stopping (${why}); runs held here go on in another worker`);
    void worker.close().finally(() => process.exit(0));
  };
  process.once("SIGTERM", () => stop("SIGTERM"));
  process.once("SIGINT", () => stop("SIGINT"));
  return worker;
}
