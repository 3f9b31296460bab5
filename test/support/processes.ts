/** Helpers to check on operating-system processes. */
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
