import { describe, expect, it, vi } from "vitest";
import {
  MemoryStore,
  run,
  runStarted$,
  task,
  waitFor,
  type EngineEvent,
} from "../../engine/index.js";

const add = task(function add(x: number, y: number) {
  return x + y;
});
const multiply = task(async function multiply(x: number, y: number) {
  return x * y;
});

async function addMultiply(x: number, y: number) {
  const a = add(x, y);
  const b = multiply(1, a.result);
  return { sum: a.result, product: b.result };
}

function describeEvent(e: EngineEvent): string {
  switch (e.type) {
    case "run.state":
      return `run ${e.previous ?? "-"}→${e.state}${e.exitCode !== undefined ? ` exit ${e.exitCode}` : ""}`;
    case "task.created":
      return `created ${e.task.name} from [${e.task.sources.map((s) => (s.from === "task" ? `#${s.task}.${s.socket}→${s.path}` : `data→${s.path}`)).join(", ")}]`;
    case "task.state":
      return `${e.name} ${e.previous}→${e.state}`;
    case "task.retry":
      return `${e.name} retry ${e.attempt}`;
    case "run.paused":
      return e.paused ? "paused" : "played";
    case "report":
      return `report ${e.line.step}`;
  }
}

describe("events$", () => {
  it("tells the whole run in order and completes when it ends", async () => {
    const r = run(addMultiply, { x: 3, y: 4 }, { log: false, store: new MemoryStore() });
    const seen: string[] = [];
    let completed = false;
    r.events$.subscribe({
      next: (e) => seen.push(describeEvent(e)),
      complete: () => (completed = true),
    });
    await r;
    expect(completed).toBe(true);
    expect(seen).toEqual([
      "run CREATED→RUNNING",
      "created add from [data→x, data→y]",
      "created multiply from [#0.result→y]",
      "report continue_workgraph",
      "add PLANNED→RUNNING",
      "add RUNNING→FINISHED",
      "report update_task_state",
      "report continue_workgraph",
      "multiply PLANNED→RUNNING",
      "run RUNNING→WAITING",
      "multiply RUNNING→FINISHED",
      "report update_task_state",
      "report finalize",
      "run WAITING→FINISHED exit 0",
    ]);
  });

  it("carries the run's uuid and a time on every event", async () => {
    const r = run(addMultiply, { x: 1, y: 2 }, { log: false, store: new MemoryStore() });
    const events: EngineEvent[] = [];
    r.events$.subscribe((e) => events.push(e));
    await r;
    expect(events.length).toBeGreaterThan(5);
    for (const e of events) {
      expect(e.run).toBe(r.uuid);
      expect(e.at).toBeGreaterThan(0);
    }
  });
});

describe("scheduling", () => {
  it("runs independent tasks at the same time", async () => {
    const sleep = task(async function sleep(ms: number) {
      await new Promise((resolve) => setTimeout(resolve, ms));
      return ms;
    });
    const r = run(
      async () => {
        const a = sleep(80);
        const b = sleep(80);
        await waitFor([a, b]);
      },
      {},
      { log: false, store: new MemoryStore() },
    );
    await r;
    const [a, b] = r.graph().tasks;
    expect(a!.startedAt!).toBeLessThan(b!.endedAt!);
    expect(b!.startedAt!).toBeLessThan(a!.endedAt!);
  });

  it("starts a dependent on its input's completion event, with no timer anywhere", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "setInterval", "setImmediate", "Date"] });
    try {
      const chain = async (n: number) => {
        let last = add(0, 1);
        for (let i = 1; i < n; i++) last = add(last.result, 1);
        return { last: last.result };
      };
      const r = run(chain, { n: 200 }, { log: false, store: new MemoryStore() });
      const results = await r;
      expect(results.last.value).toBe(200);
      expect(vi.getTimerCount()).toBe(0);
    } finally {
      vi.useRealTimers();
    }
  });

  it("honours a run's concurrency limit", async () => {
    let running = 0;
    let peak = 0;
    const tracked = task(async function tracked() {
      running++;
      peak = Math.max(peak, running);
      await new Promise((resolve) => setTimeout(resolve, 5));
      running--;
    });
    await run(
      async () => {
        for (let i = 0; i < 12; i++) tracked();
      },
      {},
      { log: false, store: new MemoryStore(), maxConcurrency: 3 },
    );
    expect(peak).toBe(3);
  });

  it("keeps two runs at once apart", async () => {
    const slowAdd = task(async function slowAdd(x: number, y: number) {
      await new Promise((resolve) => setTimeout(resolve, 5));
      return x + y;
    });
    const flow = async (x: number) => {
      const a = slowAdd(x, 1);
      await waitFor(a);
      const b = slowAdd(a.result, 1);
      return { b: b.result };
    };
    const store = new MemoryStore();
    const first = run(flow, { x: 10 }, { log: false, store });
    const second = run(flow, { x: 100 }, { log: false, store });
    const [one, two] = await Promise.all([first, second]);
    expect(one.b.value).toBe(12);
    expect(two.b.value).toBe(102);
    expect(first.graph().tasks.map((t) => t.name)).toEqual(["slowAdd", "slowAdd1"]);
    expect(second.graph().tasks.map((t) => t.name)).toEqual(["slowAdd", "slowAdd1"]);
  });
});

describe("runStarted$", () => {
  it("announces each run as it starts, before its first event", async () => {
    const seen: string[] = [];
    const subscription = runStarted$.subscribe((r) => {
      seen.push(`${r.name}:${r.state}`);
      r.events$.subscribe((e) => seen.push(e.type));
    });
    try {
      await run(addMultiply, { x: 1, y: 1 }, { log: false, store: new MemoryStore() });
    } finally {
      subscription.unsubscribe();
    }
    expect(seen[0]).toBe("addMultiply:CREATED");
    expect(seen[1]).toBe("run.state");
    expect(seen.filter((s) => s === "task.created")).toHaveLength(2);
  });
});
