/**
 * The entry of a job worker process, forked by the job pool. It compiles each distinct job
 * source once, runs the jobs it is sent one at a time, in order (the pool sends some ahead so
 * that the next one is already here), and replies to each with the result or the error. It exits when the pool's end of the IPC channel goes away, and, through its
 * watchdog thread, when the pool's process is gone even while a job keeps this one busy.
 */
import { createRequire } from "node:module";
import path from "node:path";
import { formatWithOptions } from "node:util";
import { serialiseError, type SerialisedError } from "../model/error-serialisation.js";
import { TaskOutputError } from "../model/errors.js";
import * as messages from "../model/messages.js";
import { TSLIB_HELPER_NAMES, WORKER_SCOPE_NAMES } from "../model/job-scope.js";
import {
  CONSOLE_METHODS,
  poolMessage,
  type JobRequestMessage,
  type WorkerMessage,
} from "./job-protocol.js";
import { watchParent } from "./parent-watchdog.js";
import { findUnserialisable } from "./serialisable.js";

type JobFunction = (...args: unknown[]) => unknown;

/** Enough for any notebook session; beyond it the oldest sources are compiled again if used. */
const MAX_COMPILED = 500;

/** Runs job requests; separate from the IPC wiring below so the two can be read apart. */
function createJobRunner(cwd: string): (request: JobRequestMessage) => Promise<WorkerMessage> {
  const compiled = new Map<string, JobFunction>();
  const scope = workerScope(cwd);
  let tslib: Readonly<Record<string, unknown>> | undefined;

  const compile = (source: string, taskName: string): JobFunction => {
    const cached = compiled.get(source);
    if (cached !== undefined) return cached;
    const names: string[] = [...WORKER_SCOPE_NAMES];
    const values = WORKER_SCOPE_NAMES.map((name) => scope[name]);
    // Code TypeScript compiled for an old target calls helpers it expects in scope.
    if (TSLIB_HELPER_NAMES.some((name) => source.includes(name))) {
      tslib ??= loadTslib(cwd);
      names.push(...TSLIB_HELPER_NAMES);
      values.push(...TSLIB_HELPER_NAMES.map((name) => tslib?.[name]));
    }
    // Compiling the sent source is what a worker is for. sourceURL names the job in stack
    // traces instead of "eval at compile (job-worker…)".
    // eslint-disable-next-line @typescript-eslint/no-implied-eval
    const factory = new Function(
      ...names,
      `return (${source}\n);\n//# sourceURL=job:${taskName.replace(/\s/g, "_")}`,
    ) as (...scopeValues: unknown[]) => unknown;
    const fn = factory(...values);
    if (typeof fn !== "function") {
      throw new TypeError(`The source of job ${taskName} is not a function`);
    }
    if (compiled.size >= MAX_COMPILED) compiled.delete(compiled.keys().next().value as string);
    compiled.set(source, fn as JobFunction);
    return fn as JobFunction;
  };

  return async ({ id, taskName, source, args }) => {
    try {
      const value = await compile(source, taskName)(...args);
      const problem = findUnserialisable(value, "result");
      if (problem === undefined) return { type: "result", id, value };
      const message = messages.unsendableResult(taskName, problem.path, problem.what);
      return errorReply(id, new TaskOutputError(taskName, "result", message));
    } catch (error) {
      return errorReply(id, error);
    }
  };
}

/** What every job may use without defining it (see WORKER_SCOPE_NAMES). */
function workerScope(cwd: string): Record<(typeof WORKER_SCOPE_NAMES)[number], unknown> {
  // A file name (which need not exist) in the working folder, so require() finds the user's
  // node_modules as a script there would.
  const filename = path.join(cwd, "[workgraph job].js");
  const require = createRequire(filename);
  const module = { exports: {}, filename, id: filename, require };
  return {
    require,
    module,
    exports: module.exports,
    __filename: filename,
    __dirname: cwd,
    __name: (fn: unknown, name: string) => {
      try {
        Object.defineProperty(fn, "name", { value: name, configurable: true });
      } catch {
        // A frozen function keeps its name; keepNames is cosmetic.
      }
      return fn;
    },
  };
}

function loadTslib(cwd: string): Readonly<Record<string, unknown>> {
  for (const from of [path.join(cwd, "[workgraph job].js"), import.meta.url]) {
    try {
      return createRequire(from)("tslib") as Record<string, unknown>;
    } catch {
      // Not installed there; try the next place, then give up and let the job fail by name.
    }
  }
  return {};
}

function errorReply(id: number, error: unknown): WorkerMessage {
  return { type: "error", id, error: plainError(serialiseError(error)) };
}

/** User code can set `name` or `stack` to anything; the pool expects strings. */
function plainError(error: SerialisedError): SerialisedError {
  return {
    name: String(error.name),
    message: String(error.message),
    ...(error.stack !== undefined ? { stack: String(error.stack) } : {}),
    ...(error.cause !== undefined ? { cause: plainError(error.cause) } : {}),
    ...(Number.isInteger(error.exitCode) ? { exitCode: Number(error.exitCode) } : {}),
  };
}

/**
 * Sends what jobs print with `console` to the pool, tagged with the job that was running (a
 * worker runs one job at a time; a line printed later by a stray timer goes with the last
 * job, which the pool drops once that job has ended). The worker's own stdout stays unused.
 */
function captureConsole(send: (message: WorkerMessage) => void, currentJob: () => number): void {
  for (const method of CONSOLE_METHODS) {
    console[method] = (...args: unknown[]) => {
      const text = formatWithOptions({ colors: false }, ...args);
      try {
        send({ type: "output", id: currentJob(), method, text });
      } catch {
        // The channel is closing; the line has nowhere to go.
      }
    };
  }
}

function serve(send: (message: WorkerMessage) => void): void {
  const run = createJobRunner(process.cwd());
  // Jobs sent ahead wait here and run one after another, in the order sent.
  const waiting: JobRequestMessage[] = [];
  const dropped = new Set<number>();
  let running = false;
  let currentJob = 0;
  captureConsole(send, () => currentJob);
  const runWaiting = async () => {
    running = true;
    for (let job = waiting.shift(); job !== undefined; job = waiting.shift()) {
      if (dropped.delete(job.id)) continue;
      const { id } = job;
      currentJob = id;
      const started = performance.now();
      const reply = await run(job);
      if (reply.type === "result" || reply.type === "error") {
        reply.ms = performance.now() - started;
      }
      try {
        send(reply);
      } catch (error) {
        // The result passed our check yet V8 could not clone it (say, a function hung on an
        // array as a property): report that instead of the result.
        send(errorReply(id, error));
      }
    }
    running = false;
  };
  process.on("message", (raw: unknown) => {
    const parsed = poolMessage.safeParse(raw);
    // The pool only sends these; anything else is not ours to answer.
    if (!parsed.success) return;
    const message = parsed.data;
    if (message.type === "drop") {
      // Only a job still waiting can be skipped; one that ran is answered and ignored.
      if (waiting.some((job) => job.id === message.id)) dropped.add(message.id);
      return;
    }
    waiting.push(...message.jobs);
    if (!running) void runWaiting();
  });
  process.on("disconnect", () => process.exit(0));
  // 'disconnect' needs a free event loop; a job in a synchronous loop never gives it one.
  watchParent();
  // A Jupyter interrupt signals the kernel's whole process group: the pool stops a job itself
  // (SIGKILL), so a worker ignores SIGINT and stays warm.
  process.on("SIGINT", () => undefined);
  send({ type: "ready" });
}

if (process.send === undefined) {
  throw new Error("job-worker is started by the job pool, with an IPC channel");
}
serve((message) => {
  // With a callback, a closed channel is reported to it rather than thrown as an 'error' event
  // on process; we exit on 'disconnect' anyway. Cloning errors are still thrown right here.
  process.send?.(message, undefined, undefined, () => undefined);
});
