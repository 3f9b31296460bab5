/**
 * Prints the project's figures on this machine. Run with `npm run bench`, or one part with
 * `node dist/bench/main.js kernel` (engine, store, scaling, archive, stores, peers, jobs,
 * broker, kernel, views, durable).
 */
import os from "node:os";
import { benchArchive } from "./archive.js";
import { benchBrokerJobs, daskAbsent } from "./broker-jobs.js";
import { benchEngineThroughput } from "./engine-throughput.js";
import { benchJobRuns, printJobRuns } from "./job-runs.js";
import { benchKernel, type KernelFigures } from "./kernel.js";
import type { KernelKind } from "./kernel-processes.js";
import { benchPeers, type PeersBench } from "./peers.js";
import { benchPostgresStore } from "./postgres-store.js";
import { benchStore } from "./store.js";
import { benchStoreScaling, printScaling } from "./store-scaling.js";
import { benchStoreSpeed, printStoreSpeed } from "./store-speed.js";
import { benchWidgets } from "./widgets.js";
import { benchDurable } from "./durable.js";

const fmt = (n: number, digits = 0) =>
  n.toLocaleString("en", { maximumFractionDigits: digits, minimumFractionDigits: digits });

function line(label: string, value: string): void {
  console.log(`${label.padEnd(64)} ${value}`);
}

/** The kernels side by side, and our ratios to tslab's kernel and to IPython. */
function printKernels(kernels: Record<KernelKind, KernelFigures>): void {
  const ms = (n: number | undefined) => (n === undefined ? "–" : `${fmt(n)} ms`);
  const columns: [string, keyof KernelFigures][] = [
    ["start", "startMs"],
    ["first cell", "firstCellMs"],
    ["1st result", "firstResultMs"],
    ["import", "importMs"],
    ["task", "taskMs"],
    ["run", "runMs"],
    ["warm cell", "warmCellMs"],
  ];
  console.log(`kernels (medians, interleaved)  ${columns.map(([n]) => n.padStart(11)).join("")}`);
  for (const [kind, figures] of Object.entries(kernels)) {
    console.log(
      `  ${kind.padEnd(31)}${columns.map(([, k]) => ms(figures[k]).padStart(11)).join("")}`,
    );
  }
  const ratio = (a: number | undefined, b: number | undefined) =>
    a === undefined || b === undefined ? "–" : `${fmt(a / b, 2)}×`;
  const ours = kernels.workgraph;
  for (const [, key] of columns) {
    line(`kernel ${key}: workgraph / tslab`, ratio(ours[key], kernels.tslab[key]));
  }
  line(
    "kernel first cell: workgraph / IPython",
    ratio(ours.firstCellMs, kernels.ipython.firstCellMs),
  );
  line("kernel warm cell: workgraph / IPython", ratio(ours.warmCellMs, kernels.ipython.warmCellMs));
}

async function main(): Promise<void> {
  console.log(
    `workgraph bench — node ${process.version}, ${os.availableParallelism()} cores, ${os.cpus()[0]?.model ?? "?"}`,
  );
  const only = process.argv[2];
  const wanted = (part: string) => only === undefined || only === part;
  if (wanted("engine")) {
    const engine = await benchEngineThroughput();
    line("in-process fan-out/fan-in, 10,000 tasks, memory store", `${fmt(engine.fanOut)} tasks/s`);
    line("in-process chain, 1,000 dependent tasks, memory store", `${fmt(engine.chain)} tasks/s`);
  }
  if (wanted("store")) {
    const store = await benchStore();
    line(
      "fan-out/fan-in, 10,000 tasks, SQLite file (full provenance)",
      `${fmt(store.tasksPerSecond)} tasks/s`,
    );
    line("SQLite bytes per task", `${fmt(store.bytesPerTask)} B`);
    printStoreSpeed(await benchStoreSpeed());
  }
  if (wanted("scaling")) printScaling(benchStoreScaling());
  if (wanted("archive")) {
    const archive = benchArchive(10_000);
    line(
      "archive export, 10,000 tasks (VACUUM INTO as peer)",
      `${fmt(archive.exportS, 2)} s (${fmt(archive.vacuumIntoS, 2)} s)`,
    );
    line(
      "archive import, 10,000 tasks, then again (adds nothing)",
      `${fmt(archive.importS, 2)} s, ${fmt(archive.reimportS, 2)} s`,
    );
  }
  if (wanted("stores")) {
    const stores = await benchPostgresStore();
    const postgresql =
      stores.postgresql !== undefined
        ? fmt(stores.postgresql)
        : `- (${stores.postgresqlError ?? "not measured"})`;
    line(
      "fan-out/fan-in, 10,000 tasks, interleaved: memory | SQLite | PostgreSQL",
      `${fmt(stores.memory)} | ${fmt(stores.sqlite)} | ${postgresql} tasks/s`,
    );
  }
  if (wanted("peers")) printPeers(await benchPeers());
  if (wanted("jobs")) printJobRuns(await benchJobRuns(), line);
  if (wanted("broker")) printBroker(await benchBrokerJobs());
  if (wanted("kernel")) {
    printKernels(await benchKernel(Number(process.env.BENCH_KERNEL_ROUNDS ?? 3)));
  }
  if (wanted("views")) {
    const widgets = await benchWidgets();
    for (const [name, ms] of Object.entries(widgets)) line(`views: ${name}`, `${fmt(ms, 1)} ms`);
  }
  if (wanted("durable")) printDurable(await benchDurable());
}

/** Each shape's medians by side, then our time against each Dask scheduler's. */
function printPeers(peers: PeersBench): void {
  for (const reason of peers.skipped) console.log(`not measured: ${reason}`);
  if (peers.daskVersion !== undefined)
    console.log(`Dask ${peers.daskVersion} (medians, interleaved)`);
  for (const { shape, tasks, seconds, first } of peers.shapes) {
    if (first !== undefined) printPeerTimes(`${shape}, first run of a process`, tasks, first);
    printPeerTimes(first === undefined ? shape : `${shape}, warm`, tasks, seconds);
  }
}

/** One set of a shape's times by side, then the ratios against Dask. */
function printPeerTimes(label: string, tasks: number, seconds: Readonly<Record<string, number>>) {
  for (const [side, s] of Object.entries(seconds)) {
    line(`${label}: ${side}`, `${fmt(s, 3)} s, ${fmt(tasks / s)} tasks/s`);
  }
  for (const store of ["workgraph memory", "workgraph SQLite"]) {
    const oursSeconds = seconds[store];
    if (oursSeconds === undefined) continue;
    for (const [side, theirs] of Object.entries(seconds)) {
      if (!side.startsWith("Dask")) continue;
      line(`${label}: ${store} / ${side}`, `${fmt(theirs / oursSeconds, 2)}× (Dask time / ours)`);
    }
  }
  const sqlite = seconds["workgraph SQLite"];
  const memory = seconds["workgraph memory"];
  if (sqlite !== undefined && memory !== undefined) {
    line(`${label}: workgraph SQLite / memory`, `${fmt(sqlite / memory, 2)}× (time)`);
  }
}

/** Job tasks through BullMQ on Redis and PostgreSQL against Dask distributed, with ratios. */
function printBroker(results: Awaited<ReturnType<typeof benchBrokerJobs>>): void {
  const absent = daskAbsent();
  if (absent !== undefined) console.log(`Dask distributed not measured: ${absent}; no ratios`);
  // the ratio says how many times better ours is: a higher rate, or a shorter time
  const peer = (ours: number, theirs: number | undefined, unit: string, digits = 0) =>
    theirs === undefined
      ? `${fmt(ours, digits)} ${unit}`
      : `${fmt(ours, digits)} ${unit} (${fmt(unit === "ms" ? theirs / ours : ours / theirs, 1)}× Dask)`;
  const rows: [string, "jobsPerSecond" | "sleepingPerSecond" | "roundTripMs", string, number][] = [
    ["2,000 trivial jobs", "jobsPerSecond", "jobs/s", 0],
    ["200 jobs sleeping 20 ms", "sleepingPerSecond", "jobs/s", 0],
    ["one job's round trip (median)", "roundTripMs", "ms", 2],
  ];
  for (const { workers, redis, postgresql, dask } of results) {
    for (const [what, key, unit, digits] of rows) {
      const label = `jobs, ${workers} worker process(es): ${what}`;
      line(`${label}, BullMQ/Redis`, peer(redis[key], dask?.[key], unit, digits));
      line(`${label}, BullMQ/PostgreSQL`, peer(postgresql[key], dask?.[key], unit, digits));
      if (dask !== undefined)
        line(`${label}, Dask distributed`, `${fmt(dask[key], digits)} ${unit}`);
    }
  }
  const growth = (side: "redis" | "postgresql") =>
    results
      .map((r) => fmt(r[side].sleepingPerSecond / results[0]![side].sleepingPerSecond, 2))
      .join(" : ");
  for (const { workers, redis, postgresql } of results) {
    for (const [name, side] of [
      ["Redis", redis],
      ["PostgreSQL", postgresql],
    ] as const) {
      const parts = side.roundTripParts;
      if (parts === undefined) continue;
      line(
        `round trip, ${workers} worker process(es), BullMQ/${name}: to pick | to complete | to heard`,
        `${fmt(parts.toPickMs, 1)} | ${fmt(parts.pickToCompleteMs, 1)} | ${fmt(parts.completeToHeardMs, 1)} ms`,
      );
    }
  }
  line("sleeping jobs, growth 1 : 2 : 4 workers, Redis", growth("redis"));
  line("sleeping jobs, growth 1 : 2 : 4 workers, PostgreSQL", growth("postgresql"));
}

/** Submitted runs against run(), and recovery after SIGKILL. */
function printDurable(durable: Awaited<ReturnType<typeof benchDurable>>): void {
  for (const flow of durable.flows) {
    line(
      `submitted ${flow.name}: run() | submit() wall time (median)`,
      `${fmt(flow.runMs, 1)} | ${fmt(flow.submitMs, 1)} ms`,
    );
    line(`submitted ${flow.name}: submit() to first task start`, `${fmt(flow.firstTaskMs)} ms`);
  }
  const recovery = durable.recovery;
  line("recovery, 10,000-task run with 9,000 finished: daemon up", `${fmt(recovery.daemonMs)} ms`);
  line(
    "recovery: 9,000 finished calls replayed (next task starts)",
    `${fmt(recovery.replayMs)} ms`,
  );
  line("recovery: run FINISHED (1,000 more tasks)", `${fmt(recovery.endMs)} ms`);
}

await main();
