/**
 * The SQLite store against the memory store on the shapes the peers run: a fan-out of 10,000
 * `add(i, 1)` tasks then one sum, and a chain of 1,000. Rounds alternate between the stores
 * (interleaved, so load on the machine falls on both); the figures are medians.
 * Run: `npm run build && node dist/bench/store-speed.js`.
 */
import { mkdtempSync, rmSync } from "node:fs";
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
  readonly memory: number;
  readonly sqlite: number;
  /** CPU time of this process per task, µs (median): steadier than rates on a busy machine. */
  readonly memoryCpu: number;
  readonly sqliteCpu: number;
}

/** One round's rate (tasks/s) and CPU time per task (µs). */
interface Round {
  readonly rate: number;
  readonly cpu: number;
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
  await run(flow, { n }, { store, log: false });
  const rate = tasks / ((performance.now() - started) / 1000);
  const used = process.cpuUsage(cpu);
  if (store instanceof SqliteStore) store.close();
  return { rate, cpu: (used.user + used.system) / tasks };
}

async function shape(
  name: string,
  flow: Flow,
  n: number,
  tasks: number,
  rounds: number,
  folder: string,
): Promise<ShapeFigures> {
  const memory: Round[] = [];
  const sqlite: Round[] = [];
  // one round of each first, not counted: code compiled, files and caches warm
  await round(flow, n, tasks, new MemoryStore());
  await round(flow, n, tasks, new SqliteStore(join(folder, `${name}-warm.sqlite`)));
  for (let i = 0; i < rounds; i++) {
    memory.push(await round(flow, n, tasks, new MemoryStore()));
    sqlite.push(await round(flow, n, tasks, new SqliteStore(join(folder, `${name}-${i}.sqlite`))));
  }
  return {
    shape: name,
    tasks,
    memory: median(memory.map((r) => r.rate)),
    sqlite: median(sqlite.map((r) => r.rate)),
    memoryCpu: median(memory.map((r) => r.cpu)),
    sqliteCpu: median(sqlite.map((r) => r.cpu)),
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

/** One line per shape: both rates and SQLite's share of the memory store's. */
export function printStoreSpeed(figures: readonly ShapeFigures[]): void {
  const fmt = (n: number) => Math.round(n).toLocaleString("en");
  for (const f of figures) {
    console.log(
      `${`${f.shape}, memory | SQLite (medians)`.padEnd(60)} ${fmt(f.memory)} | ${fmt(f.sqlite)} tasks/s (SQLite ${(f.memory / f.sqlite).toFixed(2)}× slower); CPU ${f.memoryCpu.toFixed(1)} | ${f.sqliteCpu.toFixed(1)} µs/task`,
    );
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  printStoreSpeed(await benchStoreSpeed());
}
