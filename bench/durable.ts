/**
 * Submitted runs against `run()`, interleaved: the latency from `submit()` to the first task
 * starting in the daemon, and the wall time of a submitted run against the same flow run in
 * this process (the tutorial's three flows, a 10,000-task fan-out). Then recovery: a daemon
 * SIGKILLed with 9,000 of a 10,000-task run finished, and the time the next daemon takes to
 * replay them and to end the run. Run: `npm run build && node dist/bench/durable.js`.
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { firstValueFrom, filter } from "rxjs";
import { openProfile, run, submit, type Flow } from "../engine/index.js";
import { startDaemon } from "../engine/plumbing.js";

const ROUNDS = 3;

const FLOWS = `
import { task, waitFor } from "ENTRY";
const add = task.job(function add(x, y) { return x + y; });
const multiply = task(async function multiply(x, y) { return x * y; });
export async function addMultiply(x, y) {
  const a = add(x, y);
  const b = multiply(1, a.result);
  return { sum: a.result, product: b.result };
}
export async function addThenBranch(x, y) {
  const a = add(x, y);
  await waitFor(a);
  const m = a.result.value > 10 ? multiply(1, a.result) : multiply(-1, a.result);
  return { sum: a.result, multiply: m.result };
}
export async function keepDoubling(x, y) {
  let outputs = add(x, y);
  await waitFor(outputs);
  while (outputs.result.value < 10) {
    const outputs1 = add(outputs.result, 1);
    outputs = multiply(outputs1.result, 2);
    await waitFor(outputs);
  }
  return { sum: outputs.result };
}
const inc = task(function inc(i) { return i + 1; });
const sum = task(function sum(values) { return values.reduce((a, b) => a + b, 0); });
export async function fanOut(n) {
  const parts = [];
  for (let i = 0; i < n; i++) parts.push(inc(i).result);
  return { total: sum(parts).result };
}
const gate = task.job(async function gate(flag) {
  const fs = require("node:fs");
  while (!fs.existsSync(flag)) await new Promise((resolve) => setTimeout(resolve, 50));
  return 1;
});
export async function gated(n, flag) {
  const parts = [];
  for (let i = 0; i < n; i++) parts.push(inc(i).result);
  await waitFor(parts);
  const g = gate(flag);
  const rest = [];
  for (let i = 0; i < 999; i++) rest.push(inc(g.result).result);
  return { total: sum([...parts, ...rest]).result };
}
`;

/** Figures of submitted runs (ms). */
export interface DurableFigures {
  readonly flows: readonly {
    readonly name: string;
    readonly runMs: number;
    readonly submitMs: number;
    readonly firstTaskMs: number;
  }[];
  readonly recovery: {
    readonly daemonMs: number;
    readonly replayMs: number;
    readonly endMs: number;
  };
}

const median = (values: number[]): number =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;

/** Measures submitted runs in a temporary home with its own daemon. */
export async function benchDurable(): Promise<DurableFigures> {
  const home = mkdtempSync(join(tmpdir(), "workgraph-bench-durable-"));
  const previous = process.env.WORKGRAPH_HOME;
  process.env.WORKGRAPH_HOME = home;
  const module = join(home, "flows.mjs");
  writeFileSync(module, FLOWS.replace("ENTRY", new URL("../index.js", import.meta.url).href));
  const flows = (await import(pathToFileURL(module).href)) as Record<string, Flow>;
  const { store } = openProfile();
  let daemon = await startDaemon({ workers: 2 });
  try {
    const cases: [string, Record<string, unknown>][] = [
      ["addMultiply", { x: 3, y: 4 }],
      ["addThenBranch", { x: 3, y: 4 }],
      ["keepDoubling", { x: 3, y: 4 }],
      ["fanOut", { n: 10_000 }],
    ];
    const figures: DurableFigures["flows"][number][] = [];
    for (const [name, inputs] of cases) {
      const flow = flows[name] as Flow;
      const runs: number[] = [];
      const submits: number[] = [];
      const firsts: number[] = [];
      for (let round = 0; round < ROUNDS; round++) {
        let started = performance.now();
        await run(flow, inputs, { store, log: false });
        runs.push(performance.now() - started);
        const at = Date.now();
        started = performance.now();
        const handle = submit(flow, inputs, { module, export: name, log: () => undefined });
        const first = firstValueFrom(
          handle.events$.pipe(filter((e) => e.type === "task.state" && e.state === "RUNNING")),
        );
        await handle;
        submits.push(performance.now() - started);
        firsts.push((await first).at - at);
      }
      figures.push({
        name,
        runMs: median(runs),
        submitMs: median(submits),
        firstTaskMs: median(firsts),
      });
    }
    const recovery = await benchRecovery(home, module, flows.gated as Flow, store, daemon);
    daemon = recovery.daemon;
    return { flows: figures, recovery: recovery.figures };
  } finally {
    try {
      process.kill(-daemon, "SIGKILL");
    } catch {
      // gone already
    }
    store.close();
    if (previous === undefined) delete process.env.WORKGRAPH_HOME;
    else process.env.WORKGRAPH_HOME = previous;
    rmSync(home, { recursive: true, force: true });
  }
}

async function benchRecovery(
  home: string,
  module: string,
  gated: Flow,
  store: ReturnType<typeof openProfile>["store"],
  daemon: number,
): Promise<{ figures: DurableFigures["recovery"]; daemon: number }> {
  const flag = join(home, "release");
  const handle = submit(
    gated,
    { n: 9_000, flag },
    { module, export: "gated", name: "gated", log: () => undefined },
  );
  await handle.queued;
  const finished = (): number =>
    store.tasks(handle.pk).filter((t) => t.state === "FINISHED").length;
  while (finished() < 9_000) await sleep(50);
  process.kill(-daemon, "SIGKILL");
  while (isAlive(daemon)) await sleep(10);
  const killedAt = Date.now();
  writeFileSync(flag, "go");
  const started = performance.now();
  const next = await startDaemon({ workers: 2 });
  const daemonMs = performance.now() - started;
  // the 9,000 finished calls are replayed when the gate starts again
  const gateStarted = (): boolean =>
    store.tasks(handle.pk).some((t) => t.name === "gate" && (t.startedAt ?? 0) >= killedAt);
  while (!gateStarted()) await sleep(5);
  const replayMs = performance.now() - started;
  while (store.node(handle.pk)?.state !== "FINISHED") await sleep(5);
  const endMs = performance.now() - started;
  if (!existsSync(flag)) throw new Error("the gate flag vanished");
  return { figures: { daemonMs, replayMs, endMs }, daemon: next };
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const figures = await benchDurable();
  console.log(JSON.stringify(figures, null, 2));
}
