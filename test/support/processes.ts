/** Helpers to check on operating-system processes. */
import { readFileSync } from "node:fs";
import { isAlive } from "../../engine/store/sqlite/orphaned-runs.js";

export { isAlive };

/** Waits until the process is gone, up to `ms`; returns whether it is gone. */
export async function waitUntilGone(pid: number, ms = 3000): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (isAlive(pid)) {
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return true;
}

/**
 * Whether the process runs (or could run): it exists and is not a zombie. A killed orphan
 * stays a zombie until init reaps it; it uses no CPU and holds nothing, so it counts as gone.
 */
export function isRunning(pid: number): boolean {
  if (!isAlive(pid)) return false;
  try {
    // /proc/<pid>/stat: "pid (comm) S …"; comm may hold spaces or parentheses.
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2)[0] !== "Z";
  } catch {
    return false;
  }
}

/** Waits until the process no longer runs (see {@link isRunning}), up to `ms`. */
export async function waitUntilStopped(pid: number, ms = 5000): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (isRunning(pid)) {
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return true;
}
