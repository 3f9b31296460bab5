/**
 * The kernel against its peers, interleaved on the same cells: ours, tslab's own kernel (the
 * dependency's) and IPython (Debian's ipykernel, for the cells Python shares: `1 + 1`). Each
 * round starts every kernel afresh, in a rotating order, and measures with one Jupyter client:
 * start (spawn to the first kernel_info answered on iopub too), the first cell, importing
 * workgraph, defining a task, a small run, and warm cells. Figures are medians over rounds.
 */
import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { KernelClient } from "../cli/notebook/kernel-client.js";
import { packageRoot } from "../kernel/package-root.js";
import { KernelExitedError, startBenchKernel, type KernelKind } from "./kernel-processes.js";

/** Medians of one kernel, in ms; the workgraph cells are not run on IPython. */
export interface KernelFigures {
  readonly startMs: number;
  readonly firstCellMs: number;
  /** Spawn to the first cell's reply: what a user waits for after starting a kernel. */
  readonly firstResultMs: number;
  readonly importMs?: number;
  readonly taskMs?: number;
  readonly runMs?: number;
  /** Median of the warm cells (`N + 1` and `const vN = N * 2;` alternating). */
  readonly warmCellMs: number;
}

const KINDS: readonly KernelKind[] = ["workgraph", "tslab", "ipython"];
const WARM_CELLS = 12;
const CELL_MS = 120_000;
const SHUTDOWN_MS = 2_000;

const WORKGRAPH_CELLS = {
  importMs: 'import { task, run } from "workgraph";',
  taskMs: "const add = task(function add(x: number, y: number) {\n  return x + y;\n});",
  runMs:
    "await run(async function flow() { return { sum: add(1, 2).result }; }, {}, { log: false });",
} as const;

/** Runs `rounds` interleaved rounds; returns each kernel's medians. */
export async function benchKernel(rounds = 3): Promise<Record<KernelKind, KernelFigures>> {
  // A folder where tslab's kernel finds the package too (ours provides its own copy anyway).
  const cwd = mkdtempSync(join(tmpdir(), "workgraph-bench-notebook-"));
  mkdirSync(join(cwd, "node_modules"));
  symlinkSync(packageRoot(import.meta.url), join(cwd, "node_modules", "workgraph"));
  const samples = new Map<KernelKind, Map<keyof KernelFigures, number[]>>();
  try {
    for (let round = 0; round < rounds; round++) {
      for (let k = 0; k < KINDS.length; k++) {
        const kind = KINDS[(round + k) % KINDS.length] ?? "workgraph";
        const figures = await measureKernelOnce(kind, cwd);
        const byName = samples.get(kind) ?? new Map<keyof KernelFigures, number[]>();
        for (const [name, ms] of Object.entries(figures) as [keyof KernelFigures, number][]) {
          byName.set(name, [...(byName.get(name) ?? []), ms]);
        }
        samples.set(kind, byName);
      }
    }
  } finally {
    rmSync(cwd, { recursive: true, force: true });
  }
  const medians = (kind: KernelKind) =>
    Object.fromEntries(
      [...(samples.get(kind) ?? [])].map(([name, values]) => [name, median(values)]),
    ) as unknown as KernelFigures;
  return { workgraph: medians("workgraph"), tslab: medians("tslab"), ipython: medians("ipython") };
}

/** Measures a kernel, starting it again once if it exited early (a port taken meanwhile). */
async function measureKernelOnce(kind: KernelKind, cwd: string): Promise<KernelFigures> {
  try {
    return await measureKernel(kind, cwd);
  } catch (error) {
    if (!(error instanceof KernelExitedError)) throw error;
    return measureKernel(kind, cwd);
  }
}

async function measureKernel(kind: KernelKind, cwd: string): Promise<KernelFigures> {
  const started = performance.now();
  const kernel = await startBenchKernel(kind, cwd);
  const client = await KernelClient.connect(kernel.connection);
  try {
    await Promise.race([client.ready(120_000), kernel.exited]);
    const startMs = performance.now() - started;
    const firstCellMs = await timed(client, "1 + 1");
    const workgraph: Partial<Record<keyof typeof WORKGRAPH_CELLS, number>> = {};
    if (kind !== "ipython") {
      for (const [name, code] of Object.entries(WORKGRAPH_CELLS)) {
        workgraph[name as keyof typeof WORKGRAPH_CELLS] = await timed(client, code);
      }
    }
    const warm: number[] = [];
    for (let i = 0; i < WARM_CELLS; i++) {
      const code = i % 2 === 0 || kind === "ipython" ? `${i} + 1` : `const v${i} = ${i} * 2;`;
      warm.push(await timed(client, code));
    }
    const firstResultMs = startMs + firstCellMs;
    return { startMs, firstCellMs, firstResultMs, ...workgraph, warmCellMs: median(warm) };
  } finally {
    // Not every kernel answers a shutdown on control (tslab's does not): wait a little only.
    const shutdown = client.request("control", "shutdown_request", { restart: false });
    await within(shutdown, SHUTDOWN_MS, "shutdown").catch(() => undefined);
    client.close();
    kernel.stop();
  }
}

/** The round trip of one cell: request to reply and idle status; the cell must succeed. */
async function timed(client: KernelClient, code: string): Promise<number> {
  const content = { code, silent: false, store_history: true, user_expressions: {} };
  const before = performance.now();
  const reply = await within(
    client.request("shell", "execute_request", content, () => undefined),
    CELL_MS,
    code,
  );
  const ms = performance.now() - before;
  if (reply.content.status !== "ok") {
    throw new Error(`bench cell failed: ${code}\n${JSON.stringify(reply.content)}`);
  }
  return ms;
}

/** `promise`, or a rejection naming `what` once `ms` have passed. */
async function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms: ${what}`)), ms);
  });
  try {
    return await Promise.race([promise, late]);
  } finally {
    clearTimeout(timer);
  }
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1
    ? (sorted[middle] ?? 0)
    : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}
