/**
 * Helpers for tests on a broker: a key prefix (Redis) or schema (PostgreSQL) of the test's own,
 * removed afterwards; `workgraph worker` processes, each in a home of its own as on separate
 * machines (in its own process group, so SIGKILL takes its job processes too, as a machine
 * going down would); and runs submitted through the broker's run queue.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { Redis } from "ioredis";
import { afterAll, beforeAll } from "vitest";
import pg from "pg";
import { createProfile } from "../../engine/store/open-profile.js";
import { built, root } from "./built.js";
import { dropSchema } from "./postgres.js";

/** The services on this machine. */
export const REDIS_URL = "redis://127.0.0.1:6379";
export const POSTGRES_URL =
  process.env.WORKGRAPH_TEST_PG ?? "postgresql://postgres@127.0.0.1:5432/test";

/**
 * The lock duration (ms) of the BullMQ workers of tests that wait for a dead worker's jobs to
 * come back (a lock lapse): 5 s instead of 20 s, the stalled check every 1.25 s.
 */
export const SHORT_LOCK_MS = 5_000;

/**
 * Makes this file's workers (and its commands, which wait past a dead holder's lock) use
 * {@link SHORT_LOCK_MS}, through `WORKGRAPH_BROKER_LOCK_MS` inherited by the processes it starts.
 */
export function useShortLocks(): void {
  let before: string | undefined;
  beforeAll(() => {
    before = process.env.WORKGRAPH_BROKER_LOCK_MS;
    process.env.WORKGRAPH_BROKER_LOCK_MS = String(SHORT_LOCK_MS);
  });
  afterAll(() => {
    if (before === undefined) delete process.env.WORKGRAPH_BROKER_LOCK_MS;
    else process.env.WORKGRAPH_BROKER_LOCK_MS = before;
  });
}

/** A broker namespace of one test: its URL and prefix, and the removal of what it left. */
export interface TestBroker {
  readonly url: string;
  readonly prefix: string;
  dispose(): Promise<void>;
}

/** A fresh namespace on Redis or PostgreSQL; fails (never skips) when the service is down. */
export async function testBroker(kind: "redis" | "postgresql"): Promise<TestBroker> {
  const prefix = `wgt_${randomBytes(6).toString("hex")}`;
  if (kind === "redis") {
    const redis = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1 });
    await redis.connect();
    await redis.ping();
    return {
      url: REDIS_URL,
      prefix,
      async dispose() {
        let cursor = "0";
        do {
          const [next, keys] = await redis.scan(cursor, "MATCH", `${prefix}:*`, "COUNT", 1000);
          cursor = next;
          if (keys.length > 0) await redis.del(...keys);
        } while (cursor !== "0");
        redis.disconnect();
      },
    };
  }
  const client = new pg.Client({ connectionString: POSTGRES_URL });
  await client.connect();
  await client.query("select 1");
  return {
    url: POSTGRES_URL,
    prefix,
    async dispose() {
      await dropSchema(client, prefix);
      await client.end();
    },
  };
}

/** A `workgraph worker` process and what it printed. */
export interface WorkerProcess {
  readonly child: ChildProcess;
  readonly home: string;
  readonly lines: string[];
  waitForLine(match: RegExp, ms?: number): Promise<RegExpMatchArray>;
  /** SIGKILL the worker and its job processes. */
  kill(): void;
  dispose(): void;
}

/** Starts `workgraph worker` in a home of its own on `broker`, using the shared store file. */
export function startWorker(
  broker: TestBroker,
  store: string,
  args: readonly string[] = [],
): Promise<WorkerProcess> {
  const home = mkdtempSync(join(tmpdir(), "workgraph-worker-"));
  return spawnWorker(home, [
    "--broker",
    broker.url,
    "--broker-prefix",
    broker.prefix,
    "--store",
    store,
    ...args,
  ]);
}

/** The URL a profile names for `broker`, its prefix in it. */
export function profileBrokerUrl(broker: TestBroker): string {
  return `${broker.url}?prefix=${broker.prefix}`;
}

/**
 * Starts `workgraph worker --profile NAME` in a home of its own (as on another machine) whose
 * profile NAME names `storage` and the test's broker.
 */
export function startProfileWorker(
  name: string,
  storage: string,
  broker: TestBroker,
  args: readonly string[] = [],
): Promise<WorkerProcess> {
  const home = mkdtempSync(join(tmpdir(), "workgraph-worker-"));
  createProfile(name, { version: 1, storage, broker: profileBrokerUrl(broker) }, { home });
  return spawnWorker(home, ["--profile", name, ...args]);
}

async function spawnWorker(home: string, args: readonly string[]): Promise<WorkerProcess> {
  const child = spawn(process.execPath, [built("cli/main.js"), "worker", ...args], {
    cwd: root,
    env: { ...process.env, WORKGRAPH_HOME: home },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  const lines: string[] = [];
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  createInterface({ input: child.stdout }).on("line", (line) => lines.push(line));
  const waitForLine = async (match: RegExp, ms = 60_000): Promise<RegExpMatchArray> => {
    const deadline = Date.now() + ms;
    for (;;) {
      for (const line of lines) {
        const found = line.match(match);
        if (found !== null) return found;
      }
      if (child.exitCode !== null || Date.now() > deadline) {
        throw new Error(
          `worker printed no ${match}; stdout: ${lines.join("\n")}; stderr: ${stderr}`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };
  const kill = (): void => {
    try {
      process.kill(-child.pid!, "SIGKILL");
    } catch {
      // gone already
    }
  };
  await waitForLine(/worker on/);
  return {
    child,
    home,
    lines,
    waitForLine,
    kill,
    dispose() {
      kill();
      rmSync(home, { recursive: true, force: true });
    },
  };
}
