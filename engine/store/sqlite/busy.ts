/** SQLite's "another connection holds the lock" (SQLITE_BUSY), and waiting it out. */

/** Whether an error is SQLite's "another connection holds the lock". */
export function isBusy(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" && code.startsWith("SQLITE_BUSY");
}

const pause = new Int32Array(new SharedArrayBuffer(4));

/**
 * Runs `action`, again after a pause of up to `pauseMs` (random, so racers fall apart) each
 * time SQLite refuses it as busy, until it goes through or `waitMs` have passed (then the
 * refusal is the caller's). For what the busy timeout does not cover, or covers too briefly.
 */
export function retryWhileBusy<T>(action: () => T, waitMs: number, pauseMs: number): T {
  const deadline = Date.now() + waitMs;
  for (;;) {
    try {
      return action();
    } catch (error) {
      if (!isBusy(error) || Date.now() > deadline) throw error;
      Atomics.wait(pause, 0, 0, 1 + Math.random() * pauseMs);
    }
  }
}
