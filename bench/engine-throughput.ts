/** Tasks per second of the engine with tiny in-process tasks, kept in an in-memory store. */
import { MemoryStore, run, task, type Flow } from "../engine/index.js";

const inc = task(function inc(x: number) {
  return x + 1;
});
const total = task(function total(values: number[]) {
  return values.reduce((a, b) => a + b, 0);
});

/** `n` independent tasks, then one that sums them all. */
export async function fanOutFanIn(n: number) {
  const parts = [];
  for (let i = 0; i < n; i++) parts.push(inc(i).result);
  return { total: total(parts).result };
}

/** `n` tasks, each waiting for the one before. */
export async function chain(n: number) {
  let last = inc(0);
  for (let i = 1; i < n; i++) last = inc(last.result);
  return { last: last.result };
}

async function tasksPerSecond(
  flow: Flow,
  n: number,
  tasks: number,
  rounds: number,
): Promise<number> {
  let best = Number.POSITIVE_INFINITY;
  for (let round = 0; round < rounds; round++) {
    const store = new MemoryStore();
    const started = performance.now();
    await run(flow, { n }, { log: false, store });
    best = Math.min(best, performance.now() - started);
  }
  return tasks / (best / 1000);
}

/** Best-of-rounds throughput of a 10,000-task fan-out/fan-in and a 1,000-task chain. */
export async function benchEngineThroughput(): Promise<{ fanOut: number; chain: number }> {
  await tasksPerSecond(fanOutFanIn, 2_000, 2_001, 3);
  const fanOut = await tasksPerSecond(fanOutFanIn, 10_000, 10_001, 5);
  const chained = await tasksPerSecond(chain, 1_000, 1_000, 10);
  return { fanOut, chain: chained };
}
