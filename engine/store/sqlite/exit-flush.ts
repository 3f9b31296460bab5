/**
 * A write group commits on `setImmediate`, which never comes when the process ends with
 * `process.exit()` in the same turn. One `exit` listener for all open stores commits them.
 */

/** Something with writes to commit. */
interface Flushable {
  flushAtExit(): void;
}

// Module state on purpose: there is one process, so one listener, whatever the number of stores.
const open = new Set<Flushable>();
let listening = false;

/** Commits this store's pending writes when the process exits. */
export function flushOnExit(store: Flushable): void {
  open.add(store);
  if (listening) return;
  listening = true;
  process.on("exit", () => {
    for (const each of open) {
      try {
        each.flushAtExit();
      } catch {
        // Exiting: nothing left to report to; the next open recovers the run.
      }
    }
  });
}

/** Stops committing this store at exit (it was closed). */
export function forgetOnExit(store: Flushable): void {
  open.delete(store);
}
