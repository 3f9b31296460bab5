/**
 * Starts one of the engine's worker threads (the stores' threads, a broker worker's lock
 * keeper) from its module, whichever way the engine itself runs. Under vitest or tsx the
 * engine's modules are TypeScript, and so is the thread's, which then needs tsx's loader; from
 * dist/ both are JavaScript. WORKGRAPH_BUILT_WORKERS=1 (the tests set it, having just built
 * dist/ from this source) starts the built thread from the source too.
 */
import { createRequire } from "node:module";
import { fileURLToPath, pathToFileURL } from "node:url";
import { Worker, type WorkerOptions } from "node:worker_threads";

const RUNS_FROM_SOURCE = import.meta.url.endsWith(".ts");
const STARTS_SOURCE = RUNS_FROM_SOURCE && process.env.WORKGRAPH_BUILT_WORKERS !== "1";
/** engine/ as this module runs: under the project's root, or under its dist/. */
const ENGINE = new URL("../", import.meta.url).href;
/** The built engine/, where a thread started from the source's modules but built is. */
const BUILT_ENGINE = new URL("../../dist/engine/", import.meta.url).href;

/**
 * Starts the thread whose module is `module` (a URL under engine/, without its extension: e.g.
 * `new URL("./pg-worker", import.meta.url)`), with `options` (`eval` and `execArgv` are set
 * here).
 */
export function startThread(module: URL, options: WorkerOptions = {}): Worker {
  if (STARTS_SOURCE) {
    return new Worker(tsxBootstrap(new URL(`${module.href}.ts`)), { ...options, eval: true });
  }
  const built = RUNS_FROM_SOURCE ? BUILT_ENGINE + module.href.slice(ENGINE.length) : module.href;
  // Built JavaScript needs none of the process's flags; a loader they name (tsx) would load the
  // thread's modules through this thread, which may be blocked waiting on it.
  return new Worker(fileURLToPath(`${built}.js`), { ...options, execArgv: [] });
}

/** Code that registers tsx's loader in the thread, then loads the TypeScript module `url`. */
function tsxBootstrap(url: URL): string {
  const require = createRequire(import.meta.url);
  const tsxRoot = require.resolve("tsx/package.json").replace(/package\.json$/, "");
  const api = pathToFileURL(`${tsxRoot}dist/esm/api/index.mjs`).href;
  return `import(${JSON.stringify(api)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(url.href)}); });`;
}
