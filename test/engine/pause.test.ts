import { describe, expect, it } from "vitest";
import { MemoryStore, ofType, run, task, type EngineEvent } from "../../engine/index.js";

const step = task(async function step(n: number) {
  await new Promise((resolve) => setTimeout(resolve, 40));
  return n + 1;
});

async function chain(n: number) {
  let value: unknown = n;
  for (let i = 0; i < 6; i++) value = step(value as number).result;
  return { result: value };
}

describe("pause and play", () => {
  it("starts no task while paused, lets running ones finish, and goes on when played", async () => {
    const r = run(chain, { n: 0 }, { log: false, store: new MemoryStore() });
    const events: EngineEvent[] = [];
    r.events$.subscribe((e) => events.push(e));
    await new Promise((resolve) => setTimeout(resolve, 60));
    r.pause();
    expect(r.paused).toBe(true);
    const pausedAt = Date.now();
    await new Promise((resolve) => setTimeout(resolve, 300));
    const playedAt = Date.now();
    const startedWhilePaused = events.filter(
      (e) => e.type === "task.state" && e.state === "RUNNING" && e.at > pausedAt && e.at < playedAt,
    );
    expect(startedWhilePaused).toEqual([]);
    // the task running when the run was paused finished meanwhile
    const finished = events.filter((e) => e.type === "task.state" && e.state === "FINISHED");
    expect(finished.length).toBeGreaterThanOrEqual(1);
    expect(r.state).toBe("WAITING");
    r.play();
    const results = await r;
    expect(results.result.value).toBe(6);
    expect(r.state).toBe("FINISHED");
    const pauses = events.filter((e) => e.type === "run.paused").map((e) => e.paused);
    expect(pauses).toEqual([true, false]);
    expect(r.reports.map((l) => l.step)).toEqual(expect.arrayContaining(["pause", "play"]));
  });

  it("kills a paused run with every task terminal", async () => {
    const r = run(chain, { n: 0 }, { log: false, store: new MemoryStore() });
    const states: string[] = [];
    r.events$.pipe(ofType("task.state")).subscribe((e) => states.push(`${e.name}:${e.state}`));
    await new Promise((resolve) => setTimeout(resolve, 10));
    r.pause();
    r.cancel("killed while paused");
    const outcome = await r.done;
    expect(outcome.state).toBe("KILLED");
    expect(r.tasks.map((t) => t.state).filter((s) => s === "PLANNED" || s === "RUNNING")).toEqual(
      [],
    );
    expect(states).toContain("step:KILLED");
  });

  it("pausing or playing an ended run changes nothing", async () => {
    const r = run(chain, { n: 1 }, { log: false, store: new MemoryStore() });
    await r;
    r.pause();
    r.play();
    expect(r.paused).toBe(false);
    expect(r.reports.some((l) => l.step === "pause")).toBe(false);
  });
});
