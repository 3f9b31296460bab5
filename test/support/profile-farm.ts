/**
 * A farm of workers on a broker profile, as on several machines: a broker namespace of the
 * test's own, a PostgreSQL store schema, `workgraph worker --profile NAME` processes each in a
 * home of its own, and a submitter's home (with a folder for flow modules) from which the
 * command line runs. `dispose()` stops the workers and removes all of it but the schema (the
 * file's `usePgSchemas` drops that).
 */
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { createProfile } from "../../engine/store/open-profile.js";
import { PostgresStore } from "../../engine/store/postgres/postgres-store.js";
import {
  profileBrokerUrl,
  startProfileWorker,
  testBroker,
  type TestBroker,
  type WorkerProcess,
} from "./broker.js";
import { built, root } from "./built.js";

/** What a command printed, and its exit code. */
export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** A farm of workers on one profile (see the module comment). */
export interface ProfileFarm {
  readonly name: string;
  readonly broker: TestBroker;
  /** The profile's broker URL (its prefix in it). */
  readonly brokerUrl: string;
  /** The profile's storage URL. */
  readonly storage: string;
  /** The store, opened in this process. */
  readonly store: PostgresStore;
  /** The submitter's folder: flow modules are written here, commands run here. */
  readonly dir: string;
  /** The submitter's home, whose profile `name` names the storage and the broker. */
  readonly home: string;
  readonly workers: WorkerProcess[];
  /** Starts one more worker, in a home of its own. */
  addWorker(args?: readonly string[]): Promise<WorkerProcess>;
  /** Writes a flow module into `dir`; `WG` in `source` stands for the built package. */
  writeModule(file: string, source: string): void;
  /** `workgraph …args --profile NAME` in the submitter's home. */
  cli(...args: string[]): Promise<CliResult>;
  /** `workgraph submit REF -i name=JSON… --profile NAME`; the run's pk. */
  submit(ref: string, inputs: Readonly<Record<string, unknown>>): Promise<number>;
  dispose(): Promise<void>;
}

/** Options of {@link startProfileFarm}. */
export interface FarmOptions {
  readonly workers?: number;
  readonly workerArgs?: readonly string[];
  readonly name?: string;
}

/** Runs `workgraph …args` in `home`, from folder `cwd`. */
export function cliIn(home: string, cwd: string, ...args: string[]): Promise<CliResult> {
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

/** Resolves with `probe()`'s first defined value; throws naming `what` after `ms`. */
export async function until<T>(what: string, probe: () => T | undefined, ms = 300_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** A farm on a fresh namespace of `kind`, storing in `storage` (a `usePgSchemas` URL). */
export async function startProfileFarm(
  kind: "redis" | "postgresql",
  storage: string,
  options: FarmOptions = {},
): Promise<ProfileFarm> {
  const name = options.name ?? "farm";
  const broker = await testBroker(kind);
  const dir = mkdtempSync(join(tmpdir(), "workgraph-farm-"));
  const home = join(dir, "home");
  createProfile(name, { version: 1, storage, broker: profileBrokerUrl(broker) }, { home });
  // the store's schema exists before the workers open it
  const store = new PostgresStore(storage);
  const workers: WorkerProcess[] = [];
  const cli = (...args: string[]): Promise<CliResult> =>
    cliIn(home, dir, ...args, "--profile", name);
  const farm: ProfileFarm = {
    name,
    broker,
    brokerUrl: profileBrokerUrl(broker),
    storage,
    store,
    dir,
    home,
    workers,
    async addWorker(args = options.workerArgs ?? []) {
      const worker = await startProfileWorker(name, storage, broker, args);
      workers.push(worker);
      return worker;
    },
    writeModule(file, source) {
      const entry = pathToFileURL(join(root, "dist", "index.js")).href;
      writeFileSync(join(dir, file), source.replaceAll("WG", entry));
    },
    cli,
    async submit(ref, inputs) {
      const args = Object.entries(inputs).flatMap(([k, v]) => ["-i", `${k}=${JSON.stringify(v)}`]);
      const submitted = await cli("submit", ref, ...args);
      if (submitted.code !== 0) throw new Error(`submit failed: ${submitted.stderr}`);
      return Number(submitted.stdout.trim());
    },
    async dispose() {
      for (const worker of workers.splice(0)) worker.dispose();
      store.close();
      await broker.dispose();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  try {
    for (let i = 0; i < (options.workers ?? 1); i++) await farm.addWorker();
  } catch (error) {
    await farm.dispose();
    throw error;
  }
  return farm;
}
