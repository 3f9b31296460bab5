/**
 * Dask as a peer: the bench's shapes computed by Debian's python3-dask / python3-distributed in
 * a Python process kept open per scheduler (bench/peers/dask_shapes.py), so that its rounds can
 * be interleaved with ours. Each round builds the graph with dask.delayed and computes it; the
 * time is taken inside Python, so process start and cluster start are not counted.
 */
import { spawn, spawnSync } from "node:child_process";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";

/** Debian's interpreter, which sees the Debian packages (another python3 on PATH may not). */
const PYTHON = "/usr/bin/python3";
/** The script stays in the source tree; the compiled bench runs from dist/bench/peers/. */
const SCRIPT = fileURLToPath(new URL("../../../bench/peers/dask_shapes.py", import.meta.url));

/**
 * Dask's schedulers: the threaded and synchronous local schedulers, and distributed (a
 * LocalCluster, its workers threads of this Python process or worker processes).
 */
export type DaskScheduler =
  | { readonly kind: "threads" }
  | { readonly kind: "sync" }
  | { readonly kind: "distributed"; readonly workers: number; readonly processes: boolean };

/**
 * `fan-out`: n tiny `add(i, 1)` then one sum; `chain`: n adds each waiting for the one before;
 * `map`: n independent trivial calls gathered; `nap`: the same with calls that sleep 20 ms;
 * `round-trip`: n trivial calls one after another.
 */
export type DaskShape = "fan-out" | "chain" | "map" | "nap" | "round-trip";

/** A running Dask side: one round of a shape at a time, in seconds. */
export interface DaskPeer {
  readonly version: string;
  measure(shape: DaskShape, n: number): Promise<number>;
  close(): Promise<void>;
}

/** A short name of a scheduler for printed figures. */
export function daskName(scheduler: DaskScheduler): string {
  if (scheduler.kind !== "distributed") return `Dask ${scheduler.kind}`;
  const unit = scheduler.processes ? ["process", "processes"] : ["thread", "threads"];
  return `Dask distributed, ${scheduler.workers} worker ${unit[scheduler.workers === 1 ? 0 : 1]}`;
}

/** Why Dask cannot be measured here, or undefined when it can (distributed needs its package). */
export function daskMissing(scheduler?: DaskScheduler): string | undefined {
  const module = scheduler?.kind === "distributed" ? "distributed" : "dask";
  const probe = spawnSync(PYTHON, ["-c", `import ${module}`], { encoding: "utf8" });
  if (probe.error !== undefined) return `${PYTHON} cannot be started (${probe.error.message})`;
  if (probe.status !== 0) {
    return `${PYTHON} has no module ${module} (Debian's python3-${module === "dask" ? "dask" : "distributed"}; .ci/install-system installs it)`;
  }
  return undefined;
}

/** Starts a Python process computing on `scheduler`; resolves once its cluster is up. */
export async function startDask(scheduler: DaskScheduler): Promise<DaskPeer> {
  const args =
    scheduler.kind === "distributed"
      ? [String(scheduler.workers), scheduler.processes ? "processes" : "threads"]
      : ["1", "threads"];
  const child = spawn(PYTHON, [SCRIPT, scheduler.kind, ...args], {
    stdio: ["pipe", "pipe", "pipe"],
  });
  let stderr = "";
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
    stderr = (stderr + chunk).slice(-4000);
  });
  const waiting: { resolve(line: string): void; reject(error: Error): void }[] = [];
  let ended: Error | undefined;
  createInterface({ input: child.stdout }).on("line", (line) => waiting.shift()?.resolve(line));
  child.once("exit", (code, signal) => {
    ended = new Error(`${daskName(scheduler)} exited (${signal ?? code}): ${stderr.trim()}`);
    for (const waiter of waiting.splice(0)) waiter.reject(ended);
  });
  const next = () =>
    new Promise<string>((resolve, reject) => {
      if (ended !== undefined) reject(ended);
      else waiting.push({ resolve, reject });
    });
  const ready = JSON.parse(await next()) as { ready: string };
  return {
    version: ready.ready,
    async measure(shape, n) {
      const answer = next();
      child.stdin.write(`${JSON.stringify({ shape, n })}\n`);
      return (JSON.parse(await answer) as { seconds: number }).seconds;
    },
    async close() {
      if (ended !== undefined) return;
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.stdin.end();
      await exited;
    },
  };
}

/**
 * `repetitions` rounds of one shape on a scheduler started for them and stopped after (seconds
 * each), after an untimed warm-up round unless `warmUp` is false.
 */
export async function measureDask(
  shape: DaskShape,
  n: number,
  scheduler: DaskScheduler,
  repetitions: number,
  warmUp = true,
): Promise<number[]> {
  const peer = await startDask(scheduler);
  try {
    if (warmUp) await peer.measure(shape, n);
    const seconds: number[] = [];
    for (let i = 0; i < repetitions; i++) seconds.push(await peer.measure(shape, n));
    return seconds;
  } finally {
    await peer.close();
  }
}
