import Database from "better-sqlite3";
import { beforeAll, describe, expect, it } from "vitest";
import { SqliteStore } from "../../engine/store/sqlite/sqlite-store.js";
import { startFixture } from "../support/fixture-process.js";
import { useTempHome } from "../support/temp-home.js";

const home = useTempHome();

describe("a run SIGKILLed half-way through 1,000 tasks", () => {
  let runPk: number;
  let finishedBeforeKill: number;

  beforeAll(async () => {
    const child = startFixture("many-tasks.ts", ["1000", "2", "8"], home.path);
    runPk = Number((await child.waitForLine(/^run (\d+)/))[1]);
    finishedBeforeKill = Number((await child.waitForLine(/^progress (2\d\d)/))[1]);
    child.child.kill("SIGKILL");
    expect((await child.exited()).signal).toBe("SIGKILL");
  });

  it("leaves a file with no half-written rows", () => {
    const db = new Database(home.profileFile(), { readonly: true });
    try {
      const count = (sql: string): number => db.prepare<[], number>(sql).pluck().get() as number;
      expect(db.pragma("integrity_check", { simple: true })).toBe("ok");
      expect(count("SELECT count(*) FROM nodes WHERE type = 'task'")).toBe(1001);
      expect(
        count(
          "SELECT count(*) FROM links WHERE from_pk NOT IN (SELECT pk FROM nodes) OR to_pk NOT IN (SELECT pk FROM nodes)",
        ),
      ).toBe(0);
      expect(
        count(
          "SELECT count(*) FROM reports WHERE run_pk NOT IN (SELECT pk FROM nodes WHERE type = 'run')",
        ),
      ).toBe(0);
      expect(
        count(`SELECT count(*) FROM nodes WHERE type = 'task'
        AND pk NOT IN (SELECT to_pk FROM links WHERE type = 'CALL')`),
      ).toBe(0);
      expect(
        count(`SELECT count(*) FROM nodes WHERE type = 'task' AND state = 'FINISHED'
        AND pk NOT IN (SELECT from_pk FROM links WHERE type = 'CREATE')`),
      ).toBe(0);
      expect(
        count(`SELECT count(*) FROM nodes WHERE type = 'task' AND state IN ('RUNNING', 'FINISHED')
        AND pk NOT IN (SELECT to_pk FROM links WHERE type = 'INPUT')`),
      ).toBe(0);
    } finally {
      db.close();
    }
  });

  it("is marked KILLED, with its unfinished tasks, when the store is opened again", () => {
    const store = new SqliteStore(home.profileFile());
    try {
      expect(store.killedOnOpen).toEqual([runPk]);
      expect(store.node(runPk)).toMatchObject({ state: "KILLED", exitCode: 130 });
      const states = new Map<string, number>();
      for (const task of store.tasks(runPk))
        states.set(task.state ?? "", (states.get(task.state ?? "") ?? 0) + 1);
      expect([...states.keys()].sort()).toEqual(["FINISHED", "KILLED"]);
      expect(states.get("FINISHED")).toBeGreaterThanOrEqual(finishedBeforeKill - 25);
      expect((states.get("FINISHED") ?? 0) + (states.get("KILLED") ?? 0)).toBe(1001);
      const last = store.reports(runPk).at(-1);
      expect(last).toMatchObject({ level: "WARNING", step: "on_kill" });
      expect(last?.message).toMatch(
        /^Run manyTasks was KILLED: the process that ran it \(pid \d+ on .+\) ended before the run did/,
      );
      const killed = store.tasks(runPk).find((t) => t.state === "KILLED");
      expect(JSON.parse(killed?.attributes ?? "{}")).toMatchObject({
        error: { name: "RunCancelledError" },
      });
    } finally {
      store.close();
    }
    const reopened = new SqliteStore(home.profileFile());
    expect(reopened.killedOnOpen).toEqual([]);
    reopened.close();
  });
});
