/**
 * The SQLite store against the memory store on the shapes the peers run: a fan-out of 10,000
 * `add(i, 1)` tasks then one sum, and a chain of 1,000. SQLite twice: as a file store is
 * (rows written by its writer thread) and with `writerThread: false` (rows written between
 * the engine's turns). Rounds alternate between the stores (interleaved, so load on the
 * machine falls on all); the figures are medians. CPU is the whole process's, and the engine's
 * thread's alone where Linux says (`/proc/self/task`), and with the writer thread, its CPU (the
 * busiest other thread of the round: V8's helper threads each take far less).
 * Run: `npm run build && node dist/bench/store-speed.js`.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { MemoryStore, run, type Flow, type ProvenanceStore } from "../engine/index.js";
import { SqliteStore } from "../engine/plumbing.js";
import { addChain, addFanOut } from "./add-shapes.js";

/** Tasks per second (median of rounds) of one shape on each store. */
export interface ShapeFigures {
  readonly shape: string;
  readonly tasks: number;
  /** Tasks per second (median) by side. */
  readonly rates: Readonly<Record<Side, number>>;
  /** CPU time of this process per task, µs (median): steadier than rates on a busy machine. */
  readonly cpu: Readonly<Record<Side, number>>;
  /** CPU time of the engine's thread alone per task, µs (median); NaN where unknown. */
  readonly mainCpu: Readonly<Record<Side, number>>;
  /** CPU time of the busiest other thread per task, µs (median): the writer thread's, if any. */
  readonly writerCpu: Readonly<Record<Side, number>>;
}

const SIDES = ["memory", "SQLite", "SQLite in-thread"] as const;
type Side = (typeof SIDES)[number];

/** One round's rate (tasks/s) and CPU time per task (µs). */
interface Round {
  readonly rate: number;
  readonly cpu: number;
  readonly mainCpu: number;
  readonly writerCpu: number;
}

/**
 * CPU time of thread `task` of this process so far, µs (Linux), else NaN. `schedstat` counts it
 * in ns; `stat` only in clock ticks (10 ms), a 10 µs/task step on a 1,000-task round, which
 * made the chain's medians jump between multiples of 10.
 */
function threadCpu(task: string): number {
  const folder = `/proc/self/task/${task}`;
  try {
    return Number(readFileSync(`${folder}/schedstat`, "utf8").split(" ")[0]) / 1000;
  } catch {
    // no schedstat (a kernel without it, or the thread ended): the ticks
  }
  try {
    const stat = readFileSync(`${folder}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    // utime and stime, in clock ticks (100 a second on Linux).
    return (Number(fields[11]) + Number(fields[12])) * 10_000;
  } catch {
    return NaN;
  }
}

/** CPU time of this process's main thread so far, µs, else NaN. */
function mainThreadCpu(): number {
  return threadCpu(String(process.pid));
}

/** CPU time of each thread of this process so far, µs by thread id (Linux), else empty. */
function threadCpus(): Map<string, number> {
  const cpus = new Map<string, number>();
  let tasks: string[];
  try {
    tasks = readdirSync("/proc/self/task");
  } catch {
    return cpus;
  }
  for (const task of tasks) {
    const cpu = threadCpu(task);
    if (!Number.isNaN(cpu)) cpus.set(task, cpu);
  }
  return cpus;
}

/** The most CPU any thread but the engine's took between two readings, µs; NaN if unknown. */
function busiestOther(before: Map<string, number>, after: Map<string, number>): number {
  let most = NaN;
  for (const [task, cpu] of after) {
    if (task === String(process.pid)) continue;
    const used = cpu - (before.get(task) ?? 0);
    if (!(used <= most)) most = used;
  }
  return most;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

async function round(flow: Flow, n: number, tasks: number, store: ProvenanceStore): Promise<Round> {
  const started = performance.now();
  const cpu = process.cpuUsage();
  const mainCpu = mainThreadCpu();
  const threads = threadCpus();
  await run(flow, { n }, { store, log: false });
  const rate = tasks / ((performance.now() - started) / 1000);
  const used = process.cpuUsage(cpu);
  const mainUsed = mainThreadCpu() - mainCpu;
  const writerUsed = busiestOther(threads, threadCpus());
  if (store instanceof SqliteStore) store.close();
  return {
    rate,
    cpu: (used.user + used.system) / tasks,
    mainCpu: mainUsed / tasks,
    writerCpu: writerUsed / tasks,
  };
}

async function shape(
  name: string,
  flow: Flow,
  n: number,
  tasks: number,
  rounds: number,
  folder: string,
): Promise<ShapeFigures> {
  let files = 0;
  const stores: Record<Side, () => ProvenanceStore> = {
    memory: () => new MemoryStore(),
    SQLite: () => new SqliteStore(join(folder, `${name}-${files++}.sqlite`)),
    "SQLite in-thread": () =>
      new SqliteStore(join(folder, `${name}-${files++}.sqlite`), { writerThread: false }),
  };
  const measured = new Map<Side, Round[]>(SIDES.map((side) => [side, []]));
  // one round of each first, not counted: code compiled, files and caches warm
  for (const side of SIDES) await round(flow, n, tasks, stores[side]());
  for (let i = 0; i < rounds; i++) {
    for (const side of SIDES) measured.get(side)?.push(await round(flow, n, tasks, stores[side]()));
  }
  const figure = (pick: (r: Round) => number) =>
    Object.fromEntries(
      SIDES.map((side) => [side, median((measured.get(side) ?? []).map(pick))]),
    ) as Record<Side, number>;
  return {
    shape: name,
    tasks,
    rates: figure((r) => r.rate),
    cpu: figure((r) => r.cpu),
    mainCpu: figure((r) => r.mainCpu),
    writerCpu: figure((r) => r.writerCpu),
  };
}

/** The fan-out and the chain, memory and SQLite interleaved. */
export async function benchStoreSpeed(rounds = 5): Promise<ShapeFigures[]> {
  const folder = mkdtempSync(join(tmpdir(), "workgraph-bench-"));
  try {
    return [
      await shape("fan-out 10,000 add(i, 1) + sum", addFanOut, 10_000, 10_001, rounds, folder),
      await shape("chain 1,000 add(x, 1)", addChain, 1_000, 1_000, rounds * 2, folder),
    ];
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

/** One line per shape and side: rate, how much slower than memory, CPU per task. */
export function printStoreSpeed(figures: readonly ShapeFigures[]): void {
  const fmt = (n: number) => Math.round(n).toLocaleString("en");
  for (const f of figures) {
    for (const side of SIDES) {
      const slower =
        side === "memory" ? "" : ` (${(f.rates.memory / f.rates[side]).toFixed(2)}× slower)`;
      const writer = side === "SQLite" ? `, writer thread ${f.writerCpu[side].toFixed(1)}` : "";
      console.log(
        `${`${f.shape}, ${side} (medians)`.padEnd(60)} ${fmt(f.rates[side])} tasks/s${slower}; CPU ${f.cpu[side].toFixed(1)} µs/task, engine's thread ${f.mainCpu[side].toFixed(1)}${writer}`,
      );
    }
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  printStoreSpeed(await benchStoreSpeed());
}
