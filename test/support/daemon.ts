/**
 * Helpers for tests of submitted runs: the `workgraph` command in a temp home, flow modules
 * written into it, the daemon's process group, and the store read from the test process.
 */
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { SqliteStore } from "../../engine/store/sqlite/sqlite-store.js";
import { built, root } from "./built.js";
import { isAlive } from "./processes.js";

/** What a command printed and its exit code. */
export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** A temp WORKGRAPH_HOME with its own daemon, removed (daemon and all) by `dispose()`. */
export class DaemonHome {
  readonly path = mkdtempSync(join(tmpdir(), "workgraph-daemon-"));
  readonly #stores: SqliteStore[] = [];

  /** Runs `workgraph ...args` with this home. */
  cli(...args: string[]): Promise<CliResult> {
    return new Promise((resolve) => {
      execFile(
        process.execPath,
        [built("cli/main.js"), ...args],
        { cwd: this.path, env: { ...process.env, WORKGRAPH_HOME: this.path } },
        (error, stdout, stderr) => {
          const code = error === null ? 0 : typeof error.code === "number" ? error.code : 1;
          resolve({ code, stdout, stderr });
        },
      );
    });
  }

  /** Writes a flow module into the home; `WG` in the text stands for the package entry's URL. */
  writeModule(name: string, text: string): string {
    const path = join(this.path, name);
    const entry = pathToFileURL(join(root, "dist", "index.js")).href;
    writeFileSync(path, text.replaceAll("WG", entry));
    return path;
  }

  /** The pid of the daemon, from its pidfile, if it runs. */
  daemonPid(): number | undefined {
    try {
      const pid = Number(readFileSync(join(this.path, "default", "daemon.pid"), "utf8").trim());
      return isAlive(pid) ? pid : undefined;
    } catch {
      return undefined;
    }
  }

  /** The default profile's store, opened in this process. */
  store(): SqliteStore {
    const store = new SqliteStore(join(this.path, "default", "workgraph.sqlite"));
    this.#stores.push(store);
    return store;
  }

  /** Waits until run `pk` is in one of `states`; returns the state. */
  async waitForRun(pk: number, states: readonly string[], ms = 60_000): Promise<string> {
    const store = this.store();
    const deadline = Date.now() + ms;
    for (;;) {
      const state = store.node(pk)?.state ?? "";
      if (states.includes(state)) return state;
      if (Date.now() > deadline) throw new Error(`run ${pk} is ${state}, not ${states.join("/")}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  /** SIGKILLs the daemon's whole process group (daemon and job workers); waits until gone. */
  async killDaemonGroup(): Promise<number | undefined> {
    const pid = this.daemonPid();
    if (pid === undefined) return undefined;
    try {
      process.kill(-pid, "SIGKILL");
    } catch {
      // already gone
    }
    await waitForGroupGone(pid);
    return pid;
  }

  /** Kills any daemon left and removes the home. */
  async dispose(): Promise<void> {
    await this.killDaemonGroup();
    for (const store of this.#stores) store.close();
    rmSync(this.path, { recursive: true, force: true });
  }
}

/** Whether any process of group `pgid` is alive. */
export function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Waits until no process of group `pgid` is left (10 s at most). */
export async function waitForGroupGone(pgid: number, ms = 10_000): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (groupAlive(pgid)) {
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return true;
}

export { root };
