/**
 * Ends this process soon after its parent is gone, whatever the main thread is doing. A job
 * worker busy in a synchronous loop never sees its IPC channel close, and a kernel busy in a
 * cell never sees its front end go: a watchdog on a worker thread checks the parent pid and
 * SIGKILLs its own process when the parent has changed (the orphan was adopted by init or a
 * subreaper).
 */
import { Worker } from "node:worker_threads";

/** How often the parent is checked: an orphan is gone within about this long. */
export const PARENT_CHECK_MS = 250;

// CommonJS source, evaluated: the same code runs from the TypeScript sources and from dist/.
const WATCHDOG_SOURCE = `
const { workerData } = require("node:worker_threads");
setInterval(() => {
  if (process.ppid !== workerData.parent) process.kill(workerData.pid, "SIGKILL");
}, workerData.intervalMs);
`;

/** Starts the watchdog of this process (once); it never keeps the process alive by itself. */
export function watchParent(intervalMs = PARENT_CHECK_MS): void {
  if (started) return;
  started = true;
  const parent = process.ppid;
  // Started by init itself (a container's first process): there is no parent to outlive.
  if (parent <= 1) return;
  const worker = new Worker(WATCHDOG_SOURCE, {
    eval: true,
    workerData: { parent, pid: process.pid, intervalMs },
    // The watchdog needs no heap to speak of.
    resourceLimits: { maxOldGenerationSizeMb: 8, maxYoungGenerationSizeMb: 2 },
    stdout: false,
    stderr: false,
  });
  worker.unref();
}

let started = false;
