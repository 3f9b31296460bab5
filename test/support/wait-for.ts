/**
 * Waiting in a test for something another process or thread does: polls `probe` every 20 ms
 * and throws naming `what` once `ms` have passed without it holding.
 */
import { setTimeout as sleep } from "node:timers/promises";

export async function waitFor(what: string, probe: () => boolean, ms = 60_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!probe()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}
