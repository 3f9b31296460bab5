import Database from "better-sqlite3";
import pg from "pg";
import { beforeAll, describe, expect, it } from "vitest";
import { createProfile, openProfile } from "../../engine/store/open-profile.js";
import { storedLinkType } from "../../engine/store/sqlite/link-types.js";
import { storedState, storedType } from "../../engine/store/sqlite/node-codes.js";
import { startFixture } from "../support/fixture-process.js";
import { PG_URL } from "../support/postgres.js";
import { storeBackends } from "../support/store-backends.js";
import { useTempHome } from "../support/temp-home.js";

const home = useTempHome();
const backends = storeBackends();

/** Counts rows with SQL both backends speak, straight from the store's file or schema. */
async function counter(storage: string): Promise<{
  count: (sql: string) => Promise<number>;
  close: () => Promise<void>;
}> {
  if (storage === "sqlite") {
    const db = new Database(home.profileFile("crashed"), { readonly: true });
    expect(db.pragma("integrity_check", { simple: true })).toBe("ok");
    return {
      count: (sql) => Promise.resolve(db.prepare<[], number>(sql).pluck().get() as number),
      close: () => {
        db.close();
        return Promise.resolve();
      },
    };
  }
  const client = new pg.Client({ connectionString: PG_URL });
  await client.connect();
  const schema = new URL(storage).searchParams.get("schema") ?? "";
  await client.query(`SET search_path TO "${schema}"`);
  return {
    count: async (sql) => Number(Object.values((await client.query(sql)).rows[0] ?? {})[0]),
    close: () => client.end(),
  };
}

describe.each(backends.all)("a run SIGKILLed half-way through 1,000 tasks ($name)", (backend) => {
  let runPk: number;
  let finishedBeforeKill: number;
  /** PostgreSQL: how many FINISHED tasks the server held when the process was killed. */
  let storedBeforeKill = 0;
  let storage: string;

  beforeAll(async () => {
    storage = backend.storage();
    if (backend.name === "postgresql") {
      createProfile("crashed-pg", { version: 1, storage });
    }
    const profile = backend.name === "sqlite" ? "crashed" : "crashed-pg";
    // Rows reach the server a batch behind the run: its tasks take longer, so it is killed
    // half-way once the server holds some of them.
    const delay = backend.name === "sqlite" ? "2" : "10";
    const child = startFixture("many-tasks.ts", ["1000", delay, "8", profile], home.path);
    runPk = Number((await child.waitForLine(/^run (\d+)/))[1]);
    finishedBeforeKill = Number((await child.waitForLine(/^progress (2\d\d)/))[1]);
    if (backend.name === "postgresql") {
      const { count, close } = await counter(storage);
      const finished = "SELECT count(*) FROM nodes WHERE type = 'task' AND state = 'FINISHED'";
      const deadline = Date.now() + 20_000;
      while ((storedBeforeKill = await count(finished)) < 100 && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      await close();
    }
    child.child.kill("SIGKILL");
    expect((await child.exited()).signal).toBe("SIGKILL");
  });

  it("leaves a store with no half-written rows", async () => {
    const { count, close } = await counter(storage);
    // A link type as the file holds it (SQLite stores one letter, PostgreSQL the name).
    const link = (type: string): string => (storage === "sqlite" ? storedLinkType(type) : type);
    // Node types and states too (SQLite stores a letter for each).
    const sqlite = storage === "sqlite";
    const type = (name: string): string => (sqlite ? (storedType(name) as string) : name);
    const task = type("task");
    const run = type("run");
    const state = (name: string): string => (sqlite ? (storedState(name) as string) : name);
    try {
      expect(await count(`SELECT count(*) FROM nodes WHERE type = '${task}'`)).toBe(1001);
      expect(
        await count(
          "SELECT count(*) FROM links WHERE from_pk NOT IN (SELECT pk FROM nodes) OR to_pk NOT IN (SELECT pk FROM nodes)",
        ),
      ).toBe(0);
      expect(
        await count(
          `SELECT count(*) FROM reports WHERE run_pk NOT IN (SELECT pk FROM nodes WHERE type = '${run}')`,
        ),
      ).toBe(0);
      expect(
        await count(`SELECT count(*) FROM nodes WHERE type = '${task}'
        AND pk NOT IN (SELECT to_pk FROM links WHERE type = '${link("CALL")}')`),
      ).toBe(0);
      expect(
        await count(`SELECT count(*) FROM nodes WHERE type = '${task}' AND state = '${state("FINISHED")}'
        AND pk NOT IN (SELECT from_pk FROM links WHERE type = '${link("CREATE")}')`),
      ).toBe(0);
      expect(
        await count(`SELECT count(*) FROM nodes WHERE type = '${task}' AND state IN ('${state("RUNNING")}', '${state("FINISHED")}')
        AND pk NOT IN (SELECT to_pk FROM links WHERE type = '${link("INPUT")}')`),
      ).toBe(0);
    } finally {
      await close();
    }
  });

  it("is marked KILLED, with its unfinished tasks, when the store is opened again", () => {
    const name = backend.name === "sqlite" ? "crashed" : "crashed-pg";
    const { store } = openProfile(name);
    try {
      expect(store.killedOnOpen).toEqual([runPk]);
      expect(store.node(runPk)).toMatchObject({ state: "KILLED", exitCode: 130 });
      const states = new Map<string, number>();
      for (const task of store.tasks(runPk))
        states.set(task.state ?? "", (states.get(task.state ?? "") ?? 0) + 1);
      expect([...states.keys()].sort()).toEqual(["FINISHED", "KILLED"]);
      expect(states.get("FINISHED")).toBeGreaterThanOrEqual(
        backend.name === "sqlite" ? finishedBeforeKill - 25 : Math.max(storedBeforeKill, 100),
      );
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
    const reopened = openProfile(name).store;
    expect(reopened.killedOnOpen).toEqual([]);
    reopened.close();
  });
});
