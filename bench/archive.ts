/**
 * How long an archive export and import take as a profile grows: a run of N tasks, each with
 * an input and an output value (4 nodes, 4 links and 2 report lines a task, as the engine
 * writes them), exported, imported into an empty profile, then imported again (which adds
 * nothing). The peer is SQLite's own copy of the same file (`VACUUM INTO`), the floor for
 * moving the rows. Sizes in tasks, default 10,000, 50,000 and 100,000.
 * Run: `npm run build && node dist/bench/archive.js [N…]`.
 */
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { exportArchive, importArchive } from "../engine/index.js";
import { SqliteStore } from "../engine/plumbing.js";
import { fillStore } from "./fill-store.js";

/** The figures of one size. */
export interface ArchiveFigures {
  readonly tasks: number;
  readonly archiveMb: number;
  readonly exportS: number;
  readonly importS: number;
  readonly reimportS: number;
  readonly vacuumIntoS: number;
}

function timed(phase: string, progress: (phase: string, s: number) => void, fn: () => void) {
  const started = performance.now();
  fn();
  const s = (performance.now() - started) / 1000;
  progress(phase, s);
  return s;
}

/** Export, import and import-again times of a profile of `tasks` tasks. */
export function benchArchive(
  tasks: number,
  progress: (phase: string, s: number) => void = () => {},
): ArchiveFigures {
  const folder = mkdtempSync(join(tmpdir(), "workgraph-bench-archive-"));
  try {
    const source = new SqliteStore(join(folder, "source.sqlite"));
    timed("fill", progress, () => fillStore(source, tasks));
    source.checkpoint();
    const file = join(folder, "archive.json");
    const vacuumIntoS = timed("VACUUM INTO", progress, () =>
      source.copyTo(join(folder, "copy.sqlite")),
    );
    const exportS = timed("export", progress, () => exportArchive(file, { store: source }));
    source.close();
    const target = new SqliteStore(join(folder, "target.sqlite"));
    const importS = timed("import", progress, () => importArchive(file, { store: target }));
    const reimportS = timed("import again", progress, () => importArchive(file, { store: target }));
    target.close();
    const archiveMb = statSync(file).size / 1e6;
    return { tasks, archiveMb, exportS, importS, reimportS, vacuumIntoS };
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const sizes = process.argv.slice(2).map(Number);
  for (const tasks of sizes.length > 0 ? sizes : [10_000, 50_000, 100_000]) {
    const progress = (phase: string, s: number) =>
      tasks >= 500_000 &&
      console.log(`  ${tasks.toLocaleString("en")} tasks: ${phase} ${s.toFixed(1)} s`);
    const f = benchArchive(tasks, progress);
    const fmt = (n: number) => n.toFixed(2).padStart(8);
    console.log(
      `archive ${tasks.toLocaleString("en").padStart(9)} tasks (${f.archiveMb.toFixed(0)} MB): export ${fmt(f.exportS)} s  import ${fmt(f.importS)} s  again ${fmt(f.reimportS)} s  | peer VACUUM INTO ${fmt(f.vacuumIntoS)} s`,
    );
  }
}
