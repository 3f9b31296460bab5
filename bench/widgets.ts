/**
 * The views' figures: building and rendering a DAG bundle (spec + SVG) at 200 and 1,000
 * tasks, both layouts at 1,000 tasks, and how long the live page takes from an engine event to the changed node in the
 * browser (headless Chromium; left out when Chromium cannot start).
 */
import { FOLD_ABOVE } from "../widgets/graph/fold-repeated.js";
import { chromium, type Page } from "playwright-core";
import { MemoryStore, run, task, type EngineEvent } from "../engine/index.js";
import {
  AppendOnlyLayout,
  dagBundle,
  ProcessRunSource,
  startGui,
  sugiyamaLayout,
  type DrawableGraph,
  type DrawableTask,
} from "../widgets/index.js";

/** Milliseconds per figure, by name. */
export async function benchWidgets(): Promise<Record<string, number>> {
  const figures: Record<string, number> = {};
  await dagBundle(runLikeGraph(50, "FINISHED")); // loads vega and warms up
  for (const n of [200, 1000]) {
    figures[`dagBundleEnded${n}${n > FOLD_ABOVE ? "Folded" : ""}Ms`] = await median(3, () =>
      dagBundle(runLikeGraph(n, "FINISHED")),
    );
    figures[`dagBundleLive${n}${n > FOLD_ABOVE ? "Folded" : ""}Ms`] = await median(3, () =>
      dagBundle(runLikeGraph(n, "RUNNING")),
    );
  }
  const big = runLikeGraph(1000, "FINISHED");
  figures.layoutAppendOnly1000Ms = await median(9, async () => new AppendOnlyLayout().update(big));
  figures.layoutSugiyama1000Ms = await median(3, async () => sugiyamaLayout(big));
  const latency = await pageUpdateLatency(200).catch(() => undefined);
  if (latency !== undefined) figures.pageUpdate200Ms = latency;
  return figures;
}

/** A graph shaped like a run: chains with fan-outs and fan-ins, most tasks finished. */
function runLikeGraph(n: number, state: "FINISHED" | "RUNNING"): DrawableGraph {
  const tasks: DrawableTask[] = [];
  const edges: { from: number; to: number; socket: string; input: string }[] = [];
  const t0 = 1_764_000_000_000;
  for (let id = 0; id < n; id++) {
    const running = state === "RUNNING" && id > n * 0.8;
    tasks.push({
      id,
      name: `step_${id}`,
      pk: id + 10,
      state: running ? "RUNNING" : "FINISHED",
      createdAt: t0 + id,
      startedAt: t0 + id + 1,
      endedAt: running ? undefined : t0 + id + 5,
      value: id,
    });
    if (id > 0)
      edges.push({ from: Math.floor((id - 1) / 3), to: id, socket: "result", input: "x" });
    if (id > 10 && id % 7 === 0) edges.push({ from: id - 9, to: id, socket: "result", input: "y" });
  }
  return { name: `bench_${n}`, state, tasks, edges };
}

async function median(rounds: number, work: () => Promise<unknown>): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const started = performance.now();
    await work();
    times.push(performance.now() - started);
  }
  return times.sort((a, b) => a - b)[Math.floor(rounds / 2)] as number;
}

/**
 * A run of `n` tasks each held by its own promise, shown on the page; tasks are released one
 * at a time, apart enough that no update waits for the throttle. Each sample is the time from
 * the task's FINISHED event (the engine's clock) to the page applying the patch with that
 * task (the browser's clock: the same machine's).
 */
async function pageUpdateLatency(n: number): Promise<number> {
  const gates = Array.from({ length: n }, () => {
    let resolve!: (value: number) => void;
    const promise = new Promise<number>((r) => (resolve = r));
    return { promise, resolve };
  });
  const held = task(async function held(i: number) {
    return await (gates[i] as { promise: Promise<number> }).promise;
  });
  const flow = async () => {
    for (let i = 0; i < n; i++) held(i);
  };
  const source = new ProcessRunSource();
  const server = await startGui({ source });
  const browser = await chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--no-first-run",
      "--disable-background-networking",
    ],
  });
  const r = run(flow, {}, { log: false, store: new MemoryStore() });
  const finishedAt = new Map<number, number>();
  r.events$.subscribe((e: EngineEvent) => {
    if (e.type === "task.state" && e.state === "FINISHED") finishedAt.set(e.taskId, e.at);
  });
  const id = source.register(r);
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.goto(server.url);
    await page.locator(`#runs tr[data-run="${id}"]`).click();
    await page.waitForFunction(
      () => "dag" in (globalThis as unknown as { workgraph: object }).workgraph,
    );
    const samples: number[] = [];
    for (let i = 0; i < 9; i++) {
      await new Promise((resolve) => setTimeout(resolve, 400));
      gates[i]?.resolve(i);
      const appliedAt = await patchWith(page, i);
      samples.push(appliedAt - (finishedAt.get(i) ?? appliedAt));
    }
    return samples.sort((a, b) => a - b)[Math.floor(samples.length / 2)] as number;
  } finally {
    r.cancel("bench over");
    await browser.close();
    await server.close();
  }
}

/** When the page applied the patch that shows task `id` FINISHED (ms since the epoch). */
async function patchWith(page: Page, id: number): Promise<number> {
  const handle = await page.waitForFunction(
    (taskId) => {
      const hooks = (globalThis as unknown as { workgraph: PageHooks }).workgraph;
      const row = hooks.dag?.data("nodes").find((node) => node.id === taskId);
      return row?.state === "FINISHED" && hooks.lastPatch !== undefined && hooks.lastPatch.at;
    },
    id,
    { polling: 5 },
  );
  return (await handle.jsonValue()) as number;
}

/** What the page leaves in `window.workgraph`. */
interface PageHooks {
  readonly dag?: { data(name: string): { id: number; state: string }[] };
  readonly lastPatch?: { readonly at: number };
}
