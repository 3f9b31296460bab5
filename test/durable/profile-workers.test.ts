/**
 * Workers on a profile, as on three machines: each `workgraph worker --profile farm` has a home
 * of its own whose profile names the shared PostgreSQL store and the broker (Redis, or
 * PostgreSQL through BullMQ's backend). A flow submitted from a fourth home runs 300 job tasks
 * on them; one worker is SIGKILLed mid-run, and the flow still ends FINISHED.
 */
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { createProfile } from "../../engine/store/open-profile.js";
import { PostgresStore } from "../../engine/store/postgres/postgres-store.js";
import { built, root } from "../support/built.js";
import {
  profileBrokerUrl,
  startProfileWorker,
  testBroker,
  type TestBroker,
  type WorkerProcess,
} from "../support/broker.js";
import { usePgSchemas } from "../support/postgres.js";

const FAN_OUT = `
import { task } from "WG";
export const unit = task.job(async function unit(dir, i) {
  const fs = require("node:fs");
  fs.appendFileSync(dir + "/effects.log", i + "\\n");
  await new Promise((resolve) => setTimeout(resolve, 40));
  return i * 2;
});
export const total = task(function total(values) {
  return values.reduce((a, b) => a + b, 0);
});
export async function fanOut(dir, n) {
  const outputs = [];
  for (let i = 0; i < n; i++) outputs.push(unit(dir, i).result);
  return { total: total(outputs).result };
}
`;

const schemas = usePgSchemas();
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** Runs `workgraph …args` in `home`, from folder `cwd`. */
function cli(
  home: string,
  cwd: string,
  ...args: string[]
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [built("cli/main.js"), ...args],
      { cwd, env: { ...process.env, WORKGRAPH_HOME: home } },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === "number" ? error.code : 1;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

async function until<T>(what: string, probe: () => T | undefined, ms = 300_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function effects(dir: string): Map<number, number> {
  const seen = new Map<number, number>();
  let text = "";
  try {
    text = readFileSync(join(dir, "effects.log"), "utf8");
  } catch {
    return seen;
  }
  for (const line of text.trim().split("\n").filter(Boolean)) {
    seen.set(Number(line), (seen.get(Number(line)) ?? 0) + 1);
  }
  return seen;
}

describe.each(["redis", "postgresql"] as const)(
  "workers on a profile: PostgreSQL store, %s broker",
  (kind) => {
    it("three workers run a submitted flow of 300 job tasks; SIGKILL of one mid-run loses nothing", async () => {
      const broker: TestBroker = await testBroker(kind);
      cleanups.push(() => broker.dispose());
      const storage = schemas.url();
      const dir = mkdtempSync(join(tmpdir(), "workgraph-profile-workers-"));
      cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
      writeFileSync(
        join(dir, "fan-out.mjs"),
        FAN_OUT.replaceAll("WG", pathToFileURL(join(root, "dist", "index.js")).href),
      );
      const workers: WorkerProcess[] = [];
      for (let i = 0; i < 3; i++) {
        const worker = await startProfileWorker("farm", storage, broker, ["--concurrency", "2"]);
        cleanups.push(() => worker.dispose());
        workers.push(worker);
      }
      // the submitter is a machine of its own too
      const home = join(dir, "home");
      createProfile("farm", { version: 1, storage, broker: profileBrokerUrl(broker) }, { home });
      const submitted = await cli(
        home,
        dir,
        "submit",
        "./fan-out.mjs#fanOut",
        "--profile",
        "farm",
        "--input",
        `dir=${JSON.stringify(dir)}`,
        "--input",
        "n=300",
      );
      expect(submitted.code, submitted.stderr).toBe(0);
      const pk = Number(submitted.stdout.trim());
      const store = new PostgresStore(storage);
      cleanups.push(() => store.close());
      const holder = await until("a worker to start the run", () =>
        workers.find((w) => w.lines.some((line) => line.includes(`starting run ${pk}`))),
      );
      await until("60 side effects", () => (effects(dir).size >= 60 ? true : undefined));
      holder.kill();
      const survivors = workers.filter((w) => w !== holder);
      await until("the run to end", () => {
        const state = store.node(pk)?.state;
        return state === "FINISHED" || state === "EXCEPTED" || state === "KILLED"
          ? state
          : undefined;
      });
      expect(store.node(pk)?.state).toBe("FINISHED");
      const [ret] = store.links({ from: pk, type: "RETURN" });
      expect(JSON.parse(store.node(ret!.to)!.value!)).toBe(300 * 299);
      // one run, each call stored once (300 units and the total), all FINISHED
      const tasks = store.tasks(pk);
      expect(tasks).toHaveLength(301);
      expect(new Set(tasks.map((t) => t.name)).size).toBe(301);
      expect(tasks.filter((t) => /^unit\d*$/.test(t.name ?? ""))).toHaveLength(300);
      expect(tasks.every((t) => t.state === "FINISHED")).toBe(true);
      // every side effect happened; twice only for what ran on the killed machine (2 job slots)
      const seen = effects(dir);
      expect(seen.size).toBe(300);
      expect(Math.max(...seen.values())).toBeLessThanOrEqual(2);
      expect([...seen.values()].filter((count) => count === 2).length).toBeLessThanOrEqual(2);
      // another worker took the stalled run and continued it by replay
      expect(
        survivors.some((w) => w.lines.some((line) => line.includes(`continuing run ${pk}`))),
      ).toBe(true);
      // the command line reads the run from the PostgreSQL profile
      const shown = await cli(
        home,
        dir,
        "process",
        "show",
        String(pk),
        "--profile",
        "farm",
        "--json",
      );
      expect(shown.code, shown.stderr).toBe(0);
      expect(JSON.parse(shown.stdout)).toMatchObject({ pk, state: "FINISHED" });
    }, 600_000);
  },
);
