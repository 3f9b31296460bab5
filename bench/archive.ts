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

/** The figures of one size. */
export interface ArchiveFigures {
  readonly tasks: number;
  readonly archiveMb: number;
  readonly exportS: number;
  readonly importS: number;
  readonly reimportS: number;
  readonly vacuumIntoS: number;
}

/** Writes a run of `tasks` tasks with their values, links and report lines. */
export function fillStore(store: SqliteStore, tasks: number): number {
  const now = Date.now();
  const run = store.addNode({
    type: "run",
    uuid: crypto.randomUUID(),
    name: "bench",
    state: "FINISHED",
    ctime: now,
    attributes: { flow: "bench" },
  });
  for (let i = 0; i < tasks; i++) {
    const input = store.addNode({
      type: "data",
      uuid: crypto.randomUUID(),
      kind: "Int",
      value: i,
      ctime: now,
    });
    const task = store.addNode({
      type: "task",
      uuid: crypto.randomUUID(),
      name: `inc${i}`,
      kind: "in-process",
      state: "FINISHED",
      ctime: now,
      attributes: { function: "inc" },
    });
    const output = store.addNode({
      type: "data",
      uuid: crypto.randomUUID(),
      kind: "Int",
      value: i + 1,
      ctime: now,
    });
    store.addLink({ from: run, to: task, type: "CALL", label: `inc${i}` });
    store.addLink({ from: input, to: task, type: "INPUT", label: "x" });
    store.addLink({ from: task, to: output, type: "CREATE", label: "result" });
    store.addLink({ from: output, to: run, type: "RETURN", label: `r${i}` });
    const line = (message: string) => ({
      at: now + i,
      level: "REPORT" as const,
      runPk: run,
      step: "update_task_state",
      message,
      text: `[REPORT] [${run}|bench|update_task_state]: ${message}`,
    });
    store.addReport(run, line(`Task: inc${i}, type: in-process, finished.`));
    store.addReport(run, line(`tasks ready to run: inc${i}`));
    if (i % 10_000 === 9_999) store.flush();
  }
  store.flush();
  return run;
}

function seconds(fn: () => void): number {
  const started = performance.now();
  fn();
  return (performance.now() - started) / 1000;
}

/** Export, import and import-again times of a profile of `tasks` tasks. */
export function benchArchive(tasks: number): ArchiveFigures {
  const folder = mkdtempSync(join(tmpdir(), "workgraph-bench-archive-"));
  try {
    const source = new SqliteStore(join(folder, "source.sqlite"));
    fillStore(source, tasks);
    source.checkpoint();
    const file = join(folder, "archive.json");
    const vacuumIntoS = seconds(() => source.copyTo(join(folder, "copy.sqlite")));
    const exportS = seconds(() => exportArchive(file, { store: source }));
    source.close();
    const target = new SqliteStore(join(folder, "target.sqlite"));
    const importS = seconds(() => importArchive(file, { store: target }));
    const reimportS = seconds(() => importArchive(file, { store: target }));
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
    const f = benchArchive(tasks);
    const fmt = (n: number) => n.toFixed(2).padStart(8);
    console.log(
      `archive ${tasks.toLocaleString("en").padStart(9)} tasks (${f.archiveMb.toFixed(0)} MB): export ${fmt(f.exportS)} s  import ${fmt(f.importS)} s  again ${fmt(f.reimportS)} s  | peer VACUUM INTO ${fmt(f.vacuumIntoS)} s`,
    );
  }
}
