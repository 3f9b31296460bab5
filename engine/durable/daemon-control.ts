/**
 * Starting, stopping and asking a profile's daemon from outside it: `daemon start` spawns
 * `daemon-main.js` detached (its own process group, output to the profile's log) and waits
 * until it answers on its socket.
 */
import { spawn } from "node:child_process";
import { closeSync, mkdirSync, openSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { isAlive } from "../store/sqlite/orphaned-runs.js";
import { DaemonConnection } from "./daemon-client.js";
import { daemonPaths } from "./daemon-paths.js";
import { DaemonRunningError, DaemonStartError } from "./errors.js";
import { daemonPid } from "./pidfile.js";
import type { DaemonStatus } from "./protocol.js";

/** How to start a daemon. */
export interface DaemonStartOptions {
  readonly profile?: string;
  /** Job worker processes; defaults to the available cores. */
  readonly workers?: number;
}

const MAIN = fileURLToPath(new URL("./daemon-main.js", import.meta.url));
const START_TIMEOUT_MS = 20_000;

/** The pid of the profile's daemon, if one runs. */
export function runningDaemon(profile = "default"): number | undefined {
  return daemonPid(daemonPaths(profile).pidfile);
}

/** Starts the profile's daemon and resolves with its pid once it answers; throws if one runs. */
export async function startDaemon(options: DaemonStartOptions = {}): Promise<number> {
  const profile = options.profile ?? "default";
  const paths = daemonPaths(profile);
  const running = daemonPid(paths.pidfile);
  if (running !== undefined) throw new DaemonRunningError(profile, running);
  mkdirSync(paths.folder, { recursive: true });
  const log = openSync(paths.log, "a");
  const args = [MAIN, "--profile", profile];
  if (options.workers !== undefined) args.push("--workers", String(options.workers));
  const child = spawn(process.execPath, args, {
    detached: true,
    stdio: ["ignore", log, log],
    env: process.env,
  });
  closeSync(log);
  child.unref();
  let exited: number | null | undefined;
  child.once("exit", (code) => (exited = code));
  const deadline = Date.now() + START_TIMEOUT_MS;
  for (;;) {
    if (exited !== undefined) {
      const holder = daemonPid(paths.pidfile);
      if (holder !== undefined && holder !== child.pid)
        throw new DaemonRunningError(profile, holder);
      throw new DaemonStartError(profile, `it exited (code ${exited}); see ${paths.log}`);
    }
    try {
      const connection = await DaemonConnection.open(paths.socket);
      const status = await connection.status();
      connection.close();
      return status.pid;
    } catch {
      if (Date.now() > deadline) {
        throw new DaemonStartError(
          profile,
          `no answer within ${START_TIMEOUT_MS} ms; see ${paths.log}`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}

/** Stops the profile's daemon; resolves with its pid, or undefined if none ran. */
export async function stopDaemon(profile = "default"): Promise<number | undefined> {
  const paths = daemonPaths(profile);
  const pid = daemonPid(paths.pidfile);
  if (pid === undefined) return undefined;
  try {
    const connection = await DaemonConnection.open(paths.socket);
    await connection.request({ op: "stop" });
    connection.close();
  } catch {
    process.kill(pid, "SIGTERM");
  }
  const deadline = Date.now() + 10_000;
  while (isAlive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  return pid;
}

/** The status of the profile's daemon, or undefined if none runs. */
export async function daemonStatus(profile = "default"): Promise<DaemonStatus | undefined> {
  const paths = daemonPaths(profile);
  if (daemonPid(paths.pidfile) === undefined) return undefined;
  const connection = await DaemonConnection.open(paths.socket);
  try {
    return await connection.status();
  } finally {
    connection.close();
  }
}

/** Connects to the profile's daemon, starting one first if none runs; `started` says which. */
export async function connectDaemon(
  options: DaemonStartOptions = {},
): Promise<{ connection: DaemonConnection; started: number | undefined }> {
  const paths = daemonPaths(options.profile ?? "default");
  let started: number | undefined;
  if (daemonPid(paths.pidfile) === undefined) {
    try {
      started = await startDaemon(options);
    } catch (error) {
      // another process started it meanwhile
      if (!(error instanceof DaemonRunningError)) throw error;
    }
  }
  return { connection: await DaemonConnection.open(paths.socket), started };
}

/** The last `lines` lines of the profile's daemon log. */
export function daemonLog(profile = "default", lines = 50): string {
  try {
    const text = readFileSync(daemonPaths(profile).log, "utf8").trimEnd();
    return text.split("\n").slice(-lines).join("\n");
  } catch {
    return "";
  }
}
