/**
 * `gui()` for notebooks and scripts: one page server per process, for the runs this process
 * starts. The server is the process's one shared page, so it lives in this module.
 */
import type { Subscription } from "rxjs";
import type { Run } from "../../engine/index.js";
import { startGui, type GuiServer } from "./gui-server.js";
import { ProcessRunSource } from "./process-run-source.js";

/** Options of {@link gui}. */
export interface NotebookGuiOptions {
  readonly port?: number;
  readonly host?: string;
}

interface Shared {
  readonly source: ProcessRunSource;
  readonly watching: Subscription;
  readonly server: Promise<GuiServer>;
}

let shared: Shared | undefined;

/**
 * Serves the live page for this process's runs (started once; later calls return the same
 * page) and returns its URL, token included. Runs started from now on appear by themselves;
 * add earlier ones with {@link registerRun}.
 *
 * @example
 * await gui(); // "http://127.0.0.1:39411/?token=…"
 */
export async function gui(options: NotebookGuiOptions = {}): Promise<string> {
  if (shared === undefined) {
    const source = new ProcessRunSource();
    const watching = source.watch();
    const server = startGui({ source, ...options });
    shared = { source, watching, server };
    server.catch(() => {
      watching.unsubscribe();
      shared = undefined;
    });
  }
  return (await shared.server).url;
}

/** Shows a run on the page `gui()` serves (runs started after `gui()` need not be added). */
export function registerRun(run: Run): void {
  shared?.source.register(run);
}

/** Stops the page `gui()` started, if any. */
export async function closeGui(): Promise<void> {
  const current = shared;
  shared = undefined;
  if (current === undefined) return;
  current.watching.unsubscribe();
  await (await current.server).close();
}
