/**
 * How the SQLite store scales with a run's size: an `add(i, 1)` fan-out of 1,000, 10,000 and
 * 100,000 tasks (and 1,000,000 with `WORKGRAPH_BENCH_1M=1`, a few minutes), each in a process
 * of its own so its memory is its alone, next to the memory store. Per size: time per task,
 * peak RSS above the process's baseline (measured after a warm-up run), the memory still held
 * once the run has ended and been dropped, and file bytes per task.
 * Run: `npm run build && node dist/bench/store-scaling.js`.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { MemoryStore, run, type ProvenanceStore } from "../engine/index.js";
import { SqliteStore } from "../engine/plumbing.js";
import { addFanOut } from "./add-shapes.js";

/** What one size measured, in one process. */
export interface ScalingFigures {
  readonly tasks: number;
  readonly store: "memory" | "sqlite";
  readonly microsPerTask: number;
  /** Peak RSS above the baseline, bytes per task. */
  readonly peakBytesPerTask: number;
  /** RSS above the baseline once the run ended and was dropped (after GC), bytes per task. */
  readonly keptBytesPerTask: number;
  /** JavaScript heap above the baseline after the run, bytes per task. */
  readonly keptHeapPerTask: number;
  /** The file's size per task (SQLite, after a checkpoint). */
  readonly fileBytesPerTask: number | undefined;
}

/** The sizes measured: 1M only when asked for. */
export function scalingSizes(): number[] {
  const sizes = [1_000, 10_000, 100_000];
  if (process.env.WORKGRAPH_BENCH_1M === "1") sizes.push(1_000_000);
  return sizes;
}

const gc = (): void => {
  const collect = (globalThis as { gc?: () => void }).gc;
  if (collect === undefined) throw new Error("run with --expose-gc");
  collect();
  collect();
};

/** Measures one size in this process (the child's side). */
async function measure(tasks: number, kind: "memory" | "sqlite"): Promise<ScalingFigures> {
  const folder = mkdtempSync(join(tmpdir(), "workgraph-scaling-"));
  try {
    const open = (name: string): ProvenanceStore =>
      kind === "memory" ? new MemoryStore() : new SqliteStore(join(folder, name));
    // Warm up (code compiled, SQLite loaded), then take the baseline.
    const warm = open("warm.sqlite");
    await run(addFanOut, { n: 1_000 }, { store: warm, log: false });
    if (warm instanceof SqliteStore) warm.close();
    gc();
    const baseline = process.memoryUsage();
    const file = join(folder, "store.sqlite");
    let store: ProvenanceStore | undefined = open("store.sqlite");
    const started = performance.now();
    await run(addFanOut, { n: tasks }, { store, log: false });
    const micros = ((performance.now() - started) * 1000) / (tasks + 1);
    const peak = process.resourceUsage().maxRSS * 1024;
    let fileBytes: number | undefined;
    if (store instanceof SqliteStore) {
      store.checkpoint();
      store.close();
      fileBytes = statSync(file).size / (tasks + 1);
    }
    store = undefined;
    await new Promise((resolve) => setTimeout(resolve, 50));
    gc();
    const after = process.memoryUsage();
    const perTask = (bytes: number) => Math.round(bytes / (tasks + 1));
    return {
      tasks,
      store: kind,
      microsPerTask: micros,
      peakBytesPerTask: perTask(peak - baseline.rss),
      keptBytesPerTask: perTask(after.rss - baseline.rss),
      keptHeapPerTask: perTask(after.heapUsed - baseline.heapUsed),
      fileBytesPerTask: fileBytes === undefined ? undefined : Math.round(fileBytes),
    };
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

/** Every size, each store in a fresh process, memory and SQLite in turn. */
export function benchStoreScaling(sizes = scalingSizes()): ScalingFigures[] {
  const script = fileURLToPath(import.meta.url);
  const figures: ScalingFigures[] = [];
  for (const tasks of sizes) {
    for (const kind of ["memory", "sqlite"] as const) {
      const out = execFileSync(
        process.execPath,
        ["--expose-gc", script, "--child", String(tasks), kind],
        { encoding: "utf8", maxBuffer: 1 << 20 },
      );
      figures.push(JSON.parse(out) as ScalingFigures);
    }
  }
  return figures;
}

/** The table, one row per size and store. */
export function printScaling(figures: readonly ScalingFigures[]): void {
  const fmt = (n: number | undefined, digits = 0) =>
    n === undefined
      ? "–"
      : n.toLocaleString("en", { maximumFractionDigits: digits, minimumFractionDigits: digits });
  const head = ["tasks", "store", "µs/task", "peak RSS B/task", "kept RSS B/task"];
  const rest = ["kept heap B/task", "file B/task"];
  console.log([...head, ...rest].map((h, i) => (i < 2 ? h.padEnd(10) : h.padStart(17))).join(""));
  for (const f of figures) {
    const cells = [
      fmt(f.microsPerTask, 1),
      fmt(f.peakBytesPerTask),
      fmt(f.keptBytesPerTask),
      fmt(f.keptHeapPerTask),
      fmt(f.fileBytesPerTask),
    ];
    console.log(
      `${fmt(f.tasks).padEnd(10)}${f.store.padEnd(10)}${cells.map((c) => c.padStart(17)).join("")}`,
    );
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  if (process.argv[2] === "--child") {
    const figures = await measure(Number(process.argv[3]), process.argv[4] as "memory" | "sqlite");
    process.stdout.write(JSON.stringify(figures));
  } else {
    printScaling(benchStoreScaling());
  }
}
