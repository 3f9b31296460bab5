/**
 * Job tasks through BullMQ, on Redis and on PostgreSQL, to `workgraph worker` processes (1, 2,
 * 4, one job process each) against Dask distributed with as many worker processes (one thread
 * each, the bench's Dask peer in `peers/`), measured interleaved on this machine: throughput of
 * 2,000 trivial jobs, of sleeping jobs (growth with workers on few cores), and one job's round
 * trip (median) and where its time goes. Each figure is the median of {@link ROUNDS} rounds,
 * the three measurements taken in turn in each round, so one stall moves no figure.
 * `WORKGRAPH_BENCH_REDIS` and `WORKGRAPH_BENCH_PG` name the services.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { Queue, createPostgresBackend, withBackend } from "bullmq";
import { checkJobSource, createBrokerJobs } from "../engine/plumbing.js";
import { daskMissing, startDask } from "./peers/dask.js";

const URLS = {
  redis: process.env.WORKGRAPH_BENCH_REDIS ?? "redis://127.0.0.1:6379",
  postgresql: process.env.WORKGRAPH_BENCH_PG ?? "postgresql://postgres@127.0.0.1:5432/test",
} as const;
const TRIVIAL = 2_000;
const SLEEPING = 200;
const SLEEP_MS = 20;
const ROUND_TRIPS = 200;
/** Rounds of each measurement per side and worker count; each figure is their median. */
const ROUNDS = 3;
/** Worker counts measured: 1, 2 and 4, or those `WORKGRAPH_BENCH_BROKER_WORKERS` lists ("1,2"). */
const WORKER_COUNTS: readonly number[] = (process.env.WORKGRAPH_BENCH_BROKER_WORKERS ?? "1,2,4")
  .split(",")
  .map(Number)
  .filter((n) => Number.isInteger(n) && n > 0);
const CLI = fileURLToPath(new URL("../cli/main.js", import.meta.url));

/** Which broker carries the jobs. */
export type BrokerKind = keyof typeof URLS;

/** Figures of one side at one worker count. */
export interface SideFigures {
  readonly jobsPerSecond: number;
  readonly sleepingPerSecond: number;
  /** Median of {@link ROUND_TRIPS} jobs sent one after the other (median of the rounds'). */
  readonly roundTripMs: number;
  /** Where a round trip's time goes (medians, ms), from the jobs' own timestamps. */
  readonly roundTripParts?: RoundTripParts | undefined;
}

/**
 * A round trip in three parts, from the sender's clock and the times BullMQ stores with each
 * job (set by the worker, in ms): sent → the worker asks for it (the sender's add and the
 * worker's wake-up); → the worker completes it (the fetch, the run in a job process, the
 * result published); → the sender has it (negative when the sender hears before the worker's
 * publish answers).
 */
export interface RoundTripParts {
  readonly toPickMs: number;
  readonly pickToCompleteMs: number;
  readonly completeToHeardMs: number;
}

/** Each side at one worker count; `dask` is undefined when Dask is not installed. */
export interface BrokerBench {
  readonly workers: number;
  readonly redis: SideFigures;
  readonly postgresql: SideFigures;
  readonly dask: SideFigures | undefined;
}

/** Dask distributed with `workers` worker processes: the same three figures. */
async function dask(workers: number): Promise<SideFigures> {
  const peer = await startDask({ kind: "distributed", workers, processes: true });
  try {
    await peer.measure("map", 200);
    const rates: number[] = [];
    const sleeping: number[] = [];
    const tripMedians: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      rates.push(TRIVIAL / (await peer.measure("map", TRIVIAL)));
      sleeping.push(SLEEPING / (await peer.measure("nap", SLEEPING)));
      const trips: number[] = [];
      for (let i = 0; i < ROUND_TRIPS; i++) {
        trips.push((await peer.measure("round-trip", 1)) * 1000);
      }
      tripMedians.push(median(trips));
    }
    return {
      jobsPerSecond: median(rates),
      sleepingPerSecond: median(sleeping),
      roundTripMs: median(tripMedians),
    };
  } finally {
    await peer.close();
  }
}

async function startWorkers(
  count: number,
  url: string,
  prefix: string,
  home: string,
): Promise<ChildProcess[]> {
  const children = Array.from({ length: count }, () =>
    spawn(
      process.execPath,
      [CLI, "worker", "--broker", url, "--broker-prefix", prefix, "--jobs-only", "-c", "1"],
      { env: { ...process.env, WORKGRAPH_HOME: home }, stdio: ["ignore", "pipe", "inherit"] },
    ),
  );
  await Promise.all(
    children.map(
      (child) =>
        new Promise<void>((resolve, reject) => {
          child.once("exit", (code) => reject(new Error(`a worker exited (code ${code})`)));
          createInterface({ input: child.stdout }).on("line", (line) => {
            if (line.includes("worker on")) resolve();
          });
        }),
    ),
  );
  return children;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

async function workgraph(kind: BrokerKind, workers: number): Promise<SideFigures> {
  const url = URLS[kind];
  const prefix = `wgbench_${randomBytes(4).toString("hex")}`;
  const home = mkdtempSync(join(tmpdir(), "workgraph-bench-"));
  const children = await startWorkers(workers, url, prefix, home);
  const jobs = await createBrokerJobs({ url, prefix });
  try {
    const echo = {
      taskName: "echo",
      source: checkJobSource(function echo(x: number) {
        return x;
      }, "echo"),
    };
    const nap = {
      taskName: "nap",
      source: checkJobSource(async function nap(ms: number) {
        await new Promise((resolve) => setTimeout(resolve, ms));
        return ms;
      }, "nap"),
    };
    await Promise.all(Array.from({ length: 200 }, (_, i) => jobs.run({ ...echo, args: [i] })));
    const rates: number[] = [];
    const sleeping: number[] = [];
    const tripMedians: number[] = [];
    const keys: string[] = [];
    const sentAt: number[] = [];
    const heardAt: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      let start = performance.now();
      await Promise.all(
        Array.from({ length: TRIVIAL }, (_, i) => jobs.run({ ...echo, args: [i] })),
      );
      rates.push(TRIVIAL / ((performance.now() - start) / 1000));
      start = performance.now();
      await Promise.all(
        Array.from({ length: SLEEPING }, () => jobs.run({ ...nap, args: [SLEEP_MS] })),
      );
      sleeping.push(SLEEPING / ((performance.now() - start) / 1000));
      const trips: number[] = [];
      for (let i = 0; i < ROUND_TRIPS; i++) {
        // a key names the job (`task-<key>`), so its stored times can be read after
        const key = `trip${round}x${i}-1`;
        keys.push(key);
        sentAt.push(Date.now());
        start = performance.now();
        await jobs.run({ ...echo, args: [i], key });
        trips.push(performance.now() - start);
        heardAt.push(Date.now());
      }
      tripMedians.push(median(trips));
    }
    const roundTripParts = await partsOf(url, prefix, keys, sentAt, heardAt);
    return {
      jobsPerSecond: median(rates),
      sleepingPerSecond: median(sleeping),
      roundTripMs: median(tripMedians),
      roundTripParts,
    };
  } finally {
    await jobs.close();
    for (const child of children) child.kill("SIGTERM");
    await Promise.all(
      children.map((child) => new Promise((resolve) => child.once("exit", resolve))),
    );
    await clearPrefix(kind, prefix);
    rmSync(home, { recursive: true, force: true });
  }
}

/** The parts of the round trips whose jobs are `task-<key>`, from their stored times. */
async function partsOf(
  url: string,
  prefix: string,
  keys: readonly string[],
  sentAt: readonly number[],
  heardAt: readonly number[],
): Promise<RoundTripParts | undefined> {
  // the profile's `jobs` queue, opened as the broker opens it (`broker-connection.ts`)
  const queue = url.startsWith("redis")
    ? new Queue("jobs", {
        connection: { host: new URL(url).hostname, port: Number(new URL(url).port || 6379) },
        prefix,
      })
    : new (withBackend(createPostgresBackend).Queue)("jobs", {
        connection: { connectionString: url, schema: prefix },
      });
  try {
    const toPick: number[] = [];
    const toComplete: number[] = [];
    const toHeard: number[] = [];
    for (let i = 0; i < sentAt.length; i++) {
      const job = await queue.getJob(`task-${keys[i]}`);
      if (job?.processedOn === undefined || job.finishedOn === undefined) continue;
      toPick.push(job.processedOn - sentAt[i]!);
      toComplete.push(job.finishedOn - job.processedOn);
      toHeard.push(heardAt[i]! - job.finishedOn);
    }
    if (toPick.length === 0) return undefined;
    return {
      toPickMs: median(toPick),
      pickToCompleteMs: median(toComplete),
      completeToHeardMs: median(toHeard),
    };
  } finally {
    await queue.close();
  }
}

async function clearPrefix(kind: BrokerKind, prefix: string): Promise<void> {
  if (kind === "postgresql") {
    const client = new pg.Client({ connectionString: URLS.postgresql });
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS "${prefix}" CASCADE`);
    await client.end();
    return;
  }
  const { Redis } = await import("ioredis");
  const redis = new Redis(URLS.redis);
  let cursor = "0";
  do {
    const [next, keys] = await redis.scan(cursor, "MATCH", `${prefix}:*`, "COUNT", 1000);
    cursor = next;
    if (keys.length > 0) await redis.del(...keys);
  } while (cursor !== "0");
  redis.disconnect();
}

/** Runs every side at 1, 2 and 4 worker processes, interleaved. */
export async function benchBrokerJobs(): Promise<BrokerBench[]> {
  const withDask = daskMissing({ kind: "distributed", workers: 1, processes: true }) === undefined;
  const results: BrokerBench[] = [];
  for (const workers of WORKER_COUNTS) {
    const redis = await workgraph("redis", workers);
    const postgresql = await workgraph("postgresql", workers);
    const peer = withDask ? await dask(workers) : undefined;
    results.push({ workers, redis, postgresql, dask: peer });
  }
  return results;
}

/** Why the peer cannot be measured here, or undefined when it can. */
export const daskAbsent = (): string | undefined =>
  daskMissing({ kind: "distributed", workers: 1, processes: true });
