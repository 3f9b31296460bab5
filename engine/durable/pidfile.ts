/**
 * One daemon per profile: its pid in a file created exclusively (`wx`), so of two daemons
 * starting at once only one gets it. A pidfile whose process is gone is stale and replaced.
 */
import { closeSync, openSync, readFileSync, rmSync, writeSync } from "node:fs";
import { isAlive } from "../store/sqlite/orphaned-runs.js";

/** The pid of the living daemon that holds `pidfile`, if any. */
export function daemonPid(pidfile: string): number | undefined {
  let text: string;
  try {
    text = readFileSync(pidfile, "utf8");
  } catch {
    return undefined;
  }
  const pid = Number(text.trim());
  return Number.isInteger(pid) && pid > 0 && isAlive(pid) ? pid : undefined;
}

/** Takes `pidfile` for this process; returns the pid of the daemon holding it instead, if any. */
export function takePidfile(pidfile: string): number | undefined {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(pidfile, "wx");
      writeSync(fd, `${process.pid}\n`);
      closeSync(fd);
      return undefined;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const holder = daemonPid(pidfile);
      if (holder !== undefined) return holder;
      rmSync(pidfile, { force: true });
    }
  }
  return daemonPid(pidfile) ?? -1;
}

/** Gives the pidfile up, if this process holds it. */
export function releasePidfile(pidfile: string): void {
  try {
    if (Number(readFileSync(pidfile, "utf8").trim()) === process.pid) rmSync(pidfile);
  } catch {
    // already gone
  }
}
