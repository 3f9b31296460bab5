/**
 * Job tasks through BullMQ on Redis to `workgraph worker` processes (1, 2, 4, one job process
 * each) against Dask distributed with as many worker processes (one thread each), measured
 * interleaved on this machine: throughput of 2,000 trivial jobs, sleeping jobs (growth with
 * workers on few cores), and one job's round trip.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { checkJobSource, createBrokerJobs } from "../engine/plumbing.js";

const REDIS_URL = process.env.WORKGRAPH_BENCH_REDIS ?? "redis://127.0.0.1:6379";
const PYTHON = "/usr/bin/python3";
const TRIVIAL = 2_000;
const SLEEPING = 200;
const SLEEP_MS = 20;
const ROUND_TRIPS = 200;
const CLI = fileURLToPath(new URL("../cli/main.js", import.meta.url));

/** Figures of one side at one worker count. */
export interface SideFigures {
  readonly jobsPerSecond: number;
  readonly sleepingPerSecond: number;
  readonly roundTripMs: number;
}

/** Both sides at each worker count; `dask` is undefined when Dask is not installed. */
export interface BrokerBench {
  readonly workers: number;
  readonly workgraph: SideFigures;
  readonly dask: SideFigures | undefined;
}

const DASK = `
import json, sys, time
from dask.distributed import Client, LocalCluster
n, trivial, sleeping, sleep_ms, trips = map(int, sys.argv[1:6])
def echo(x): return x
def nap(x):
    time.sleep(sleep_ms / 1000)
    return x
if __name__ == "__main__":
    with LocalCluster(n_workers=n, threads_per_worker=1, processes=True, dashboard_address=None) as cluster, Client(cluster) as client:
        client.gather(client.map(echo, range(200), pure=False))
        t = time.perf_counter(); client.gather(client.map(echo, range(trivial), pure=False)); jobs = trivial / (time.perf_counter() - t)
        t = time.perf_counter(); client.gather(client.map(nap, range(sleeping), pure=False)); naps = sleeping / (time.perf_counter() - t)
        t = time.perf_counter()
        for i in range(trips): client.submit(echo, i, pure=False).result()
        trip = (time.perf_counter() - t) / trips * 1000
        print(json.dumps({"jobsPerSecond": jobs, "sleepingPerSecond": naps, "roundTripMs": trip}))
`;

function daskAvailable(): boolean {
  return spawnSync(PYTHON, ["-c", "import distributed"], { stdio: "ignore" }).status === 0;
}

function dask(workers: number): SideFigures {
  const out = spawnSync(
    PYTHON,
    ["-c", DASK, ...[workers, TRIVIAL, SLEEPING, SLEEP_MS, ROUND_TRIPS].map(String)],
    { encoding: "utf8", timeout: 600_000 },
  );
  if (out.status !== 0) throw new Error(`Dask bench failed: ${out.stderr}`);
  return JSON.parse(out.stdout.trim().split("\n").pop() ?? "{}") as SideFigures;
}

async function startWorkers(count: number, prefix: string, home: string): Promise<ChildProcess[]> {
  const children = Array.from({ length: count }, () =>
    spawn(
      process.execPath,
      [CLI, "worker", "--broker", REDIS_URL, "--broker-prefix", prefix, "--jobs-only"],
      {
        env: { ...process.env, WORKGRAPH_HOME: home },
        stdio: ["ignore", "pipe", "inherit"],
      },
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

async function workgraph(workers: number): Promise<SideFigures> {
  const prefix = `wgbench_${randomBytes(4).toString("hex")}`;
  const home = mkdtempSync(join(tmpdir(), "workgraph-bench-"));
  const children = await startWorkers(workers, prefix, home);
  const jobs = await createBrokerJobs({ url: REDIS_URL, prefix });
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
    let start = performance.now();
    await Promise.all(Array.from({ length: TRIVIAL }, (_, i) => jobs.run({ ...echo, args: [i] })));
    const jobsPerSecond = TRIVIAL / ((performance.now() - start) / 1000);
    start = performance.now();
    await Promise.all(
      Array.from({ length: SLEEPING }, () => jobs.run({ ...nap, args: [SLEEP_MS] })),
    );
    const sleepingPerSecond = SLEEPING / ((performance.now() - start) / 1000);
    start = performance.now();
    for (let i = 0; i < ROUND_TRIPS; i++) await jobs.run({ ...echo, args: [i] });
    const roundTripMs = (performance.now() - start) / ROUND_TRIPS;
    return { jobsPerSecond, sleepingPerSecond, roundTripMs };
  } finally {
    await jobs.close();
    for (const child of children) child.kill("SIGTERM");
    await Promise.all(
      children.map((child) => new Promise((resolve) => child.once("exit", resolve))),
    );
    await clearPrefix(prefix);
    rmSync(home, { recursive: true, force: true });
  }
}

async function clearPrefix(prefix: string): Promise<void> {
  const { Redis } = await import("ioredis");
  const redis = new Redis(REDIS_URL);
  let cursor = "0";
  do {
    const [next, keys] = await redis.scan(cursor, "MATCH", `${prefix}:*`, "COUNT", 1000);
    cursor = next;
    if (keys.length > 0) await redis.del(...keys);
  } while (cursor !== "0");
  redis.disconnect();
}

/** Runs both sides at 1, 2 and 4 worker processes, interleaved. */
export async function benchBrokerJobs(): Promise<BrokerBench[]> {
  const withDask = daskAvailable();
  const results: BrokerBench[] = [];
  for (const workers of [1, 2, 4]) {
    const ours = await workgraph(workers);
    results.push({ workers, workgraph: ours, dask: withDask ? dask(workers) : undefined });
  }
  return results;
}

/** Whether the peer can be measured here. */
export const daskInstalled = daskAvailable;
