/**
 * The entry of a job worker process, forked by the job pool. It compiles each distinct job
 * source once, runs the jobs it is sent one at a time, in order (the pool sends some ahead so
 * that the next one is already here), and replies to each with the result or the error, the
 * replies of short jobs that end one after another in one message. It exits when the pool's
 * end of the IPC channel goes away, and, through its watchdog thread, when the pool's process
 * is gone even while a job keeps this one busy.
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
  readPoolMessage,
  type JobErrorMessage,
  type JobRequestMessage,
  type JobResultMessage,
  type WorkerMessage,
} from "./job-protocol.js";
import { watchParent } from "./parent-watchdog.js";
import { findUnserialisable } from "./serialisable.js";

type JobFunction = (...args: unknown[]) => unknown;
type JobReply = JobResultMessage | JobErrorMessage;

/** Enough for any notebook session; beyond it the oldest sources are compiled again if used. */
const MAX_COMPILED = 500;

/** A reply may wait for the next job when that job's source ran here last in under this (ms). */
const QUICK_MS = 2;
/** The longest a reply waits for the jobs after it (ms); the wait is for their start. */
const HOLD_MS = 2;

/** What runs job requests. */
interface JobRunner {
  /** Runs the job; the reply says how long it ran. */
  run(request: JobRequestMessage): Promise<JobReply>;
  /** Whether the last run of this source, here, took under {@link QUICK_MS}. */
  quick(source: string): boolean;
}

/** Runs job requests; separate from the IPC wiring below so the two can be read apart. */
function createJobRunner(cwd: string): JobRunner {
  const compiled = new Map<string, JobFunction>();
  const lastMs = new Map<string, number>();
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
    if (compiled.size >= MAX_COMPILED) {
      const oldest = compiled.keys().next().value as string;
      compiled.delete(oldest);
      lastMs.delete(oldest);
    }
    compiled.set(source, fn as JobFunction);
    return fn as JobFunction;
  };

  const settle = async ({ id, taskName, source, args }: JobRequestMessage): Promise<JobReply> => {
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

  return {
    async run(request) {
      const started = performance.now();
      const reply = await settle(request);
      reply.ms = performance.now() - started;
      if (compiled.has(request.source)) lastMs.set(request.source, reply.ms);
      return reply;
    },
    quick: (source) => (lastMs.get(source) ?? Infinity) < QUICK_MS,
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

function errorReply(id: number, error: unknown): JobErrorMessage {
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

/**
 * The replies of jobs that end one after another go to the pool in one message. A reply waits
 * only for the start of the next job, and only while the wait is short and harmless: the next
 * job is already here, its source ran here last in under {@link QUICK_MS}, neither job has a
 * timeout (the pool times a job from its predecessor's reply), and the first reply waiting is
 * under {@link HOLD_MS} old. Otherwise, before a line a job prints, when the jobs here run out,
 * at the next turn of the event loop (a job that awaits), and when the process exits, what
 * waits is sent. What is left: a quick source whose next run is long (or dies) holds the
 * replies before it until it ends.
 */
function createReplies(send: (message: WorkerMessage) => void): {
  add(reply: JobReply, timed: boolean): void;
  mayWaitFor(job: JobRequestMessage, quick: boolean): boolean;
  flush(): void;
} {
  let waiting: JobReply[] = [];
  let since = 0;
  let timed = false;
  let flushQueued = false;
  const flush = (): void => {
    flushQueued = false;
    if (waiting.length === 0) return;
    const replies = waiting;
    waiting = [];
    timed = false;
    sendReplies(send, replies);
  };
  return {
    add(reply, replyTimed) {
      if (waiting.length === 0) since = performance.now();
      waiting.push(reply);
      timed ||= replyTimed;
      if (!flushQueued) {
        flushQueued = true;
        setImmediate(flush);
      }
    },
    mayWaitFor: (job, quick) =>
      quick && !timed && job.timed !== true && performance.now() - since < HOLD_MS,
    flush,
  };
}

/** One reply as it is, several in one message; one V8 cannot clone is replaced by an error. */
function sendReplies(send: (message: WorkerMessage) => void, replies: JobReply[]): void {
  try {
    send(replies.length === 1 ? (replies[0] as JobReply) : { type: "replies", replies });
    return;
  } catch (error) {
    if (replies.length === 1) {
      // The result passed our check yet V8 could not clone it (say, a function hung on an
      // array as a property): report that instead of the result.
      send(errorReply((replies[0] as JobReply).id, error));
      return;
    }
  }
  // Some reply could not be cloned: one by one, to find which.
  for (const reply of replies) sendReplies(send, [reply]);
}

function serve(send: (message: WorkerMessage) => void): void {
  const runner = createJobRunner(process.cwd());
  const replies = createReplies(send);
  // Jobs sent ahead wait here and run one after another, in the order sent.
  const waiting: JobRequestMessage[] = [];
  const dropped = new Set<number>();
  let running = false;
  let currentJob = 0;
  captureConsole(
    (message) => {
      // A job's lines go before its reply, and those of a long job as it prints them.
      replies.flush();
      send(message);
    },
    () => currentJob,
  );
  const runWaiting = async () => {
    running = true;
    for (let job = waiting.shift(); job !== undefined; job = waiting.shift()) {
      if (dropped.delete(job.id)) continue;
      if (!replies.mayWaitFor(job, runner.quick(job.source))) replies.flush();
      currentJob = job.id;
      replies.add(await runner.run(job), job.timed === true);
    }
    running = false;
    replies.flush();
  };
  process.on("message", (raw: unknown) => {
    const message = readPoolMessage(raw);
    // The pool only sends these; anything else is not ours to answer.
    if (message === undefined) return;
    if (message.type === "drop") {
      // Only a job still waiting can be skipped; one that ran is answered and ignored.
      if (waiting.some((job) => job.id === message.id)) dropped.add(message.id);
      return;
    }
    waiting.push(...message.jobs);
    if (!running) void runWaiting();
  });
  // A job that calls process.exit, or a stray error that ends the process: the replies of
  // the jobs that ended before it still go (a kill from outside loses them).
  process.on("exit", () => replies.flush());
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
