import { setTimeout as sleep } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import { run, task } from "../../engine/index.js";
import { SqliteStore } from "../../engine/store/sqlite/sqlite-store.js";
import { queryRuns } from "../../engine/store/queries/query-runs.js";
import { startFixture } from "../support/fixture-process.js";
import { useTempHome } from "../support/temp-home.js";

const home = useTempHome();

const add = task(function add(x: number, y: number) {
  return x + y;
});

describe("two processes on one profile", () => {
  it("a reader follows a run another process writes, and writes runs of its own meanwhile", async () => {
    const writer = startFixture("many-tasks.ts", ["300", "5", "2"], home.path);
    const runPk = Number((await writer.waitForLine(/^run (\d+)/))[1]);
    await writer.waitForLine(/^progress \d+/);
    const store = new SqliteStore(home.profileFile());
    try {
      // The writer is alive: its run is not taken for an orphan.
      expect(store.killedOnOpen).toEqual([]);
      const seen: number[] = [];
      const states = new Set<string | null | undefined>();
      let own = 0;
      while (writer.child.exitCode === null && seen.length < 200) {
        states.add(store.node(runPk)?.state);
        seen.push(store.tasks(runPk).filter((t) => t.state === "FINISHED").length);
        const mine = run(async () => ({ sum: add(own, 1).result }), {}, { store, log: false });
        expect((await mine).sum.value).toBe(own + 1);
        own++;
        await sleep(10);
      }
      expect(states.has("RUNNING") || states.has("WAITING")).toBe(true);
      expect(seen.some((finished) => finished > 0 && finished < 300)).toBe(true);
      expect(own).toBeGreaterThan(0);
      expect((await writer.exited()).code).toBe(0);
      expect(store.node(runPk)).toMatchObject({ state: "FINISHED", exitCode: 0 });
      expect(store.taskCount(runPk)).toBe(301);
      const names = queryRuns({ store, state: "FINISHED" }).map((r) => r.name);
      expect(names.filter((n) => n === "manyTasks")).toHaveLength(1);
      expect(names.length).toBe(own + 1);
      // Both processes took pks from one sequence: none taken twice (turns that overlapped may
      // leave a gap, see pk-sequence.ts), and every run of both is whole
      const pks = store.allNodes().map((n) => n.pk);
      expect(new Set(pks).size).toBe(pks.length);
      for (const r of queryRuns({ store })) expect(store.node(r.pk)?.state).toBe("FINISHED");
    } finally {
      store.close();
    }
  });
});
