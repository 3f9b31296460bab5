/**
 * What a test undoes once it ends, pass or fail: stores to close, processes to kill, folders
 * to remove. Registered as the test goes, undone in reverse order after it.
 */
import { afterEach } from "vitest";

/** Something to undo; a promise it returns is awaited before the next one runs. */
export type Cleanup = () => unknown;

/**
 * Registers this file's `afterEach`: every cleanup added during a test runs after it, the last
 * added first. Each runs even when one before it threw; the first error is then thrown.
 */
export function useCleanups(): (cleanup: Cleanup) => void {
  const cleanups: Cleanup[] = [];
  afterEach(async () => {
    const errors: unknown[] = [];
    for (const cleanup of cleanups.splice(0).reverse()) {
      try {
        await cleanup();
      } catch (error) {
        errors.push(error);
      }
    }
    if (errors.length === 1) throw errors[0];
    if (errors.length > 1) throw new AggregateError(errors, `${errors.length} cleanups failed`);
  });
  return (cleanup) => {
    cleanups.push(cleanup);
  };
}
