/**
 * How fast the engine runs with full provenance in a SQLite file, and how big the file gets:
 * a fan-out of 10,000 tiny in-process tasks and one fan-in, best of 3.
 * Run: `npm run build && node dist/bench/store.js`.
 */
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { run } from "../engine/index.js";
import { SqliteStore } from "../engine/plumbing.js";
import { fanOutFanIn } from "./engine-throughput.js";

const TASKS = 10_000;
const ROUNDS = 3;

/** Tasks per second (best of 3) and file bytes per task of the fan-out/fan-in flow. */
export async function benchStore(): Promise<{ tasksPerSecond: number; bytesPerTask: number }> {
  const folder = mkdtempSync(join(tmpdir(), "workgraph-bench-"));
  let best = 0;
  let bytesPerTask = 0;
  try {
    for (let round = 0; round < ROUNDS; round++) {
      const file = join(folder, `store-${round}.sqlite`);
      const store = new SqliteStore(file);
      const started = performance.now();
      await run(fanOutFanIn, { n: TASKS }, { store, log: false });
      const seconds = (performance.now() - started) / 1000;
      best = Math.max(best, (TASKS + 1) / seconds);
      store.checkpoint();
      store.close();
      bytesPerTask = statSync(file).size / (TASKS + 1);
    }
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
  return { tasksPerSecond: Math.round(best), bytesPerTask: Math.round(bytesPerTask) };
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { tasksPerSecond, bytesPerTask } = await benchStore();
  console.log(`store: ${tasksPerSecond.toLocaleString("en")} tasks/s, ${bytesPerTask} bytes/task`);
}
