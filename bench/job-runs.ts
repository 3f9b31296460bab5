/**
 * Job tasks through the engine on a 2-process pool, against the bare pool and Dask distributed
 * with 2 worker processes, interleaved: 1,000 independent trivial job tasks in one run (memory
 * store and SQLite file), the same 1,000 jobs sent straight to the pool, and the round trip of
 * one job at a time (a chain of job tasks in a run, one job after another on the pool).
 * `BENCH_JOBS_ROUNDS` sets the rounds (default 5).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { createJobPool, MemoryStore, run, task, type ProvenanceStore } from "../engine/index.js";
import { checkJobSource, SqliteStore } from "../engine/plumbing.js";
import { daskMissing, daskName, startDask, type DaskScheduler } from "./peers/dask.js";
import { interleave, type Side } from "./peers/interleave.js";

const JOBS = 1_000;
const TRIPS = 500;
const WORKERS = 2;
const DASK: DaskScheduler = { kind: "distributed", workers: WORKERS, processes: true };

const echo = task.job(function echo(x: number) {
  return x;
});

/** `n` independent job tasks. */
async function independent(n: number) {
  const parts = [];
  for (let i = 0; i < n; i++) parts.push(echo(i).result);
  return { last: parts[n - 1] };
}

/** `n` job tasks, each waiting for the one before. */
async function chained(n: number) {
  let last = echo(0);
  for (let i = 1; i < n; i++) last = echo(last.result);
  return { last: last.result };
}

/** Median seconds by side of the throughput and round-trip shapes. */
export interface JobRunsBench {
  readonly jobs: number;
  readonly trips: number;
  readonly throughput: Readonly<Record<string, number>>;
  readonly roundTrip: Readonly<Record<string, number>>;
  readonly skipped: string | undefined;
}

/** Measures job tasks against the bare pool and Dask distributed, interleaved. */
export async function benchJobRuns(): Promise<JobRunsBench> {
  const rounds = Number(process.env.BENCH_JOBS_ROUNDS ?? 5);
  const folder = mkdtempSync(join(tmpdir(), "workgraph-bench-"));
  const pool = createJobPool({ size: WORKERS });
  const skipped = daskMissing(DASK);
  const dask = skipped === undefined ? await startDask(DASK) : undefined;
  let files = 0;
  const timed = async (flow: typeof independent, n: number, store: ProvenanceStore) => {
    const started = performance.now();
    await run(flow, { n }, { store, jobs: pool, log: false });
    return (performance.now() - started) / 1000;
  };
  const inSqlite = async (flow: typeof independent, n: number) => {
    const store = new SqliteStore(join(folder, `store-${files++}.sqlite`));
    try {
      return await timed(flow, n, store);
    } finally {
      store.close();
    }
  };
  const request = { taskName: "echo", source: checkJobSource(echoSource, "echo"), args: [1] };
  try {
    await pool.warm();
    const throughput: Record<string, Side> = {
      "bare pool": {
        round: async () => {
          const started = performance.now();
          await Promise.all(Array.from({ length: JOBS }, () => pool.run(request)));
          return (performance.now() - started) / 1000;
        },
      },
      "run, memory store": { round: () => timed(independent, JOBS, new MemoryStore()) },
      "run, SQLite store": { round: () => inSqlite(independent, JOBS) },
    };
    const roundTrip: Record<string, Side> = {
      "bare pool": {
        round: async () => {
          const started = performance.now();
          for (let i = 0; i < TRIPS; i++) await pool.run(request);
          return (performance.now() - started) / 1000;
        },
      },
      "run, memory store": { round: () => timed(chained, TRIPS, new MemoryStore()) },
      "run, SQLite store": { round: () => inSqlite(chained, TRIPS) },
    };
    if (dask !== undefined) {
      throughput[daskName(DASK)] = { round: () => dask.measure("map", JOBS) };
      roundTrip[daskName(DASK)] = { round: () => dask.measure("round-trip", TRIPS) };
    }
    return {
      jobs: JOBS,
      trips: TRIPS,
      throughput: await interleave(throughput, rounds),
      roundTrip: await interleave(roundTrip, rounds),
      skipped,
    };
  } finally {
    await dask?.close();
    await pool.close();
    rmSync(folder, { recursive: true, force: true });
  }
}

function echoSource(x: number) {
  return x;
}

/** Prints the figures: jobs/s and ms per round trip, then ours against the pool and Dask. */
export function printJobRuns(bench: JobRunsBench, line: (label: string, value: string) => void) {
  const fmt = (n: number, digits = 0) =>
    n.toLocaleString("en", { maximumFractionDigits: digits, minimumFractionDigits: digits });
  if (bench.skipped !== undefined) console.log(`not measured: ${daskName(DASK)}: ${bench.skipped}`);
  for (const [side, s] of Object.entries(bench.throughput)) {
    line(
      `${fmt(bench.jobs)} trivial jobs, ${WORKERS} workers: ${side}`,
      `${fmt(bench.jobs / s)} jobs/s`,
    );
  }
  for (const [side, s] of Object.entries(bench.roundTrip)) {
    line(`job round trip, one at a time: ${side}`, `${fmt((s / bench.trips) * 1000, 3)} ms`);
  }
  for (const ours of ["run, memory store", "run, SQLite store"]) {
    for (const [figures, what] of [
      [bench.throughput, "jobs/s"],
      [bench.roundTrip, "round trip"],
    ] as const) {
      const mine = figures[ours];
      if (mine === undefined) continue;
      for (const [side, theirs] of Object.entries(figures)) {
        if (side.startsWith("run")) continue;
        line(`${what}: ${ours} / ${side}`, `${fmt(theirs / mine, 2)}×`);
      }
    }
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  printJobRuns(await benchJobRuns(), (label, value) => console.log(`${label.padEnd(64)} ${value}`));
}
