/**
 * A warm pool of worker processes that run job functions, one job per process at a time, the
 * rest waiting in a FIFO queue. A process that dies (timeout, abort, a crash, `process.exit`,
 * a kill from outside) fails only its own job and is replaced. Idle workers are unref'd, so a
 * script that used jobs still exits by itself.
 *
 *   run(request) → queue → idle worker ──job──▶ job-worker.ts ──result | error──▶ settle
 */
import { fork, type ChildProcess } from "node:child_process";
import { createRequire } from "node:module";
import os from "node:os";
import { fileURLToPath, pathToFileURL } from "node:url";
import { deserialiseError } from "../model/error-serialisation.js";
import { JobPoolClosedError, JobProcessError, TaskTimeoutError } from "../model/errors.js";
import type { JobExecutor, JobRequest } from "./executor.js";
import { workerMessage, type JobRequestMessage, type WorkerMessage } from "./job-protocol.js";

/** How a job pool is set up. */
export interface JobPoolOptions {
  /** How many worker processes, so how many jobs at once; default: the available cores. */
  readonly size?: number;
  /** Extra Node flags for each worker, such as `--max-old-space-size=4096`. */
  readonly execArgv?: readonly string[];
}

interface Job {
  readonly id: number;
  readonly request: JobRequest;
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: unknown) => void;
  timer?: NodeJS.Timeout;
  /** Set when we kill the job's process on purpose: the error to report once it is gone. */
  killedFor?: unknown;
}

interface Worker {
  readonly child: ChildProcess;
  /** `stopping`: we have sent SIGKILL; whatever it still says is ignored. */
  state: "starting" | "idle" | "busy" | "stopping" | "dead";
  job: Job | undefined;
  referenced: boolean;
  readonly ready: Promise<void>;
  readonly markReady: () => void;
  readonly failStart: (error: unknown) => void;
  readonly exited: Promise<void>;
  readonly markExited: () => void;
}

// Under vitest or tsx this module is TypeScript, and so is its worker, which then needs tsx's
// loader; from dist/ both are JavaScript and the worker is forked as it is.
const RUNS_FROM_SOURCE = import.meta.url.endsWith(".ts");
const WORKER_FILE = fileURLToPath(
  new URL(RUNS_FROM_SOURCE ? "./job-worker.ts" : "./job-worker.js", import.meta.url),
);

/** Runs job functions in a warm pool of `child_process.fork` workers. */
export class JobPool implements JobExecutor {
  /** How many jobs may run at once (one per worker process). */
  readonly concurrency: number;
  private readonly execArgv: readonly string[];
  private readonly workers = new Set<Worker>();
  private readonly queue: Job[] = [];
  private readonly watchedSignals = new Map<AbortSignal, { jobs: Set<Job>; onAbort: () => void }>();
  private lastJobId = 0;
  private warming = 0;
  private closed = false;
  private readonly killAllNow = () => {
    for (const worker of this.workers) worker.child.kill("SIGKILL");
  };

  constructor(options: JobPoolOptions = {}) {
    const size = options.size ?? os.availableParallelism();
    this.concurrency = Number.isFinite(size) ? Math.max(1, Math.floor(size)) : 1;
    const loader = RUNS_FROM_SOURCE ? ["--import", tsxLoaderUrl()] : [];
    this.execArgv = [...loader, ...(options.execArgv ?? [])];
  }

  /** Resolves with the job's return value; rejects with its error (name, message, stack kept). */
  run(request: JobRequest): Promise<unknown> {
    if (this.closed) return Promise.reject(new JobPoolClosedError(request.taskName));
    const { signal } = request;
    // JobRequest promises `signal.reason` itself, whatever the caller chose to abort with.
    // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors
    if (signal?.aborted === true) return Promise.reject(signal.reason);
    return new Promise((resolve, reject) => {
      const job: Job = { id: ++this.lastJobId, request, resolve, reject };
      if (signal !== undefined) this.watch(signal, job);
      this.queue.push(job);
      this.dispatch();
    });
  }

  /** Starts every worker now rather than on the first job; resolves when all are ready. */
  async warm(): Promise<void> {
    if (this.closed) throw new JobPoolClosedError("(pool warm-up)");
    while (this.workers.size < this.concurrency) this.spawn();
    this.warming++;
    this.updateRefs();
    try {
      await Promise.all([...this.workers].map((worker) => worker.ready));
    } finally {
      this.warming--;
      this.updateRefs();
    }
  }

  /** Pids of the live worker processes. */
  pids(): number[] {
    const pids: number[] = [];
    for (const { child, state } of this.workers) {
      if (state !== "dead" && child.pid !== undefined) pids.push(child.pid);
    }
    return pids;
  }

  /** Kills every worker process; waiting and running jobs reject with JobPoolClosedError. */
  async close(): Promise<void> {
    this.closed = true;
    for (const job of this.queue.splice(0)) {
      this.settle(job, () => job.reject(new JobPoolClosedError(job.request.taskName)));
    }
    // Whoever awaits close() waits for the exits, so they must hold the event loop open.
    this.updateRefs();
    const exits = [...this.workers].map((worker) => {
      const taskName = worker.job?.request.taskName ?? "(none)";
      this.kill(worker, new JobPoolClosedError(taskName));
      return worker.exited;
    });
    await Promise.all(exits);
    process.off("exit", this.killAllNow);
  }

  /** Hands waiting jobs to idle workers, and starts workers while jobs wait for one. */
  private dispatch(): void {
    let starting = 0;
    for (const worker of this.workers) {
      if (worker.state === "starting") starting++;
      if (worker.state !== "idle") continue;
      // A job whose arguments fail to send leaves the worker idle for the next one.
      for (let job = this.queue.shift(); job !== undefined; job = this.queue.shift()) {
        if (this.start(worker, job)) break;
      }
    }
    while (!this.closed && this.queue.length > starting && this.workers.size < this.concurrency) {
      try {
        this.spawn();
      } catch (error) {
        // The OS would not give us a process (EMFILE, EAGAIN): fail the job that asked for it.
        const job = this.queue.shift() as Job;
        this.settle(job, () => job.reject(error));
        continue;
      }
      starting++;
    }
    this.updateRefs();
  }

  /** Sends the job to the worker; false if its arguments could not be sent. */
  private start(worker: Worker, job: Job): boolean {
    const { request } = job;
    const message: JobRequestMessage = {
      type: "job",
      id: job.id,
      taskName: request.taskName,
      source: request.source,
      args: [...request.args],
    };
    try {
      worker.child.send(message);
    } catch (error) {
      // V8 could not clone the arguments; the worker never saw the job and stays idle.
      this.settle(job, () => job.reject(error));
      return false;
    }
    worker.state = "busy";
    worker.job = job;
    const { timeoutMs, onStart } = request;
    if (timeoutMs !== undefined) {
      job.timer = setTimeout(() => {
        this.kill(worker, new TaskTimeoutError(request.taskName, timeoutMs));
      }, timeoutMs);
    }
    if (onStart !== undefined && worker.child.pid !== undefined) {
      try {
        onStart(worker.child.pid);
      } catch {
        // An observer's failure must not leave the job half started.
      }
    }
    return true;
  }

  private spawn(): void {
    const child = fork(WORKER_FILE, [], {
      execArgv: [...this.execArgv],
      // Structured clone instead of JSON: Map, Set, Date, bigint and typed arrays survive.
      serialization: "advanced",
    });
    let markReady = () => {};
    let failStart: (error: unknown) => void = () => {};
    let markExited = () => {};
    const ready = new Promise<void>((resolve, reject) => {
      markReady = resolve;
      failStart = reject;
    });
    // warm() may never be called: a failed start must not become an unhandled rejection.
    ready.catch(() => {});
    const exited = new Promise<void>((resolve) => (markExited = resolve));
    const worker: Worker = {
      child,
      state: "starting",
      job: undefined,
      referenced: true,
      ready,
      markReady,
      failStart,
      exited,
      markExited,
    };
    if (this.workers.size === 0) process.on("exit", this.killAllNow);
    this.workers.add(worker);
    child.on("message", (raw: unknown) => {
      const parsed = workerMessage.safeParse(raw);
      // Our worker sends nothing else; a stray message must not take the pool down.
      if (parsed.success) this.onMessage(worker, parsed.data);
    });
    child.on("exit", (code, signal) => this.onExit(worker, code, signal));
    child.on("error", () => {
      // A process that never started has no exit to wait for. Other errors (a failed send
      // to a dying process) are followed by its exit.
      if (child.pid === undefined) this.onExit(worker, null, null);
    });
  }

  private onMessage(worker: Worker, message: WorkerMessage): void {
    if (message.type === "ready") {
      if (worker.state !== "starting") return;
      worker.state = "idle";
      worker.markReady();
      this.dispatch();
      return;
    }
    const { job } = worker;
    if (job === undefined || job.id !== message.id || worker.state !== "busy") return;
    if (message.type === "output") {
      try {
        job.request.onOutput?.({ method: message.method, text: message.text });
      } catch {
        // An observer's failure must not end the job.
      }
      return;
    }
    worker.state = "idle";
    worker.job = undefined;
    // Hand the worker its next job before settling this one, so it never waits on our callers.
    this.dispatch();
    if (message.type === "result") this.settle(job, () => job.resolve(message.value));
    else this.settle(job, () => job.reject(deserialiseError(message.error)));
  }

  private onExit(worker: Worker, code: number | null, signal: NodeJS.Signals | null): void {
    if (worker.state === "dead") return;
    const diedStarting = worker.state === "starting";
    worker.state = "dead";
    this.workers.delete(worker);
    worker.markExited();
    if (this.workers.size === 0) process.off("exit", this.killAllNow);
    const pid = worker.child.pid;
    const died = (taskName: string) =>
      this.closed
        ? new JobPoolClosedError(taskName)
        : new JobProcessError(taskName, pid, code, signal);
    const { job } = worker;
    worker.job = undefined;
    if (job !== undefined) {
      this.settle(job, () => job.reject(job.killedFor ?? died(job.request.taskName)));
    }
    // Does nothing once it said ready; otherwise warm() learns that this worker never will.
    worker.failStart(died("(pool warm-up)"));
    if (diedStarting) {
      // A worker that cannot even start fails the oldest waiting job, rather than being
      // replaced forever by workers that fail the same way.
      const head = this.queue.shift();
      if (head !== undefined) this.settle(head, () => head.reject(died(head.request.taskName)));
    } else if (!this.closed) {
      try {
        this.spawn();
      } catch {
        // No process to be had right now; dispatch() tries again when a job asks for one.
      }
    }
    this.dispatch();
  }

  private kill(worker: Worker, reason: unknown): void {
    if (worker.state === "dead") return;
    if (worker.job !== undefined) worker.job.killedFor = reason;
    // Its reply may already be on the way: it must not settle the job nor free the worker.
    worker.state = "stopping";
    worker.child.kill("SIGKILL");
  }

  /** Runs `outcome` once the job no longer holds a timer or an abort listener. */
  private settle(job: Job, outcome: () => void): void {
    if (job.timer !== undefined) clearTimeout(job.timer);
    const { signal } = job.request;
    if (signal !== undefined) this.unwatch(signal, job);
    outcome();
  }

  /** One abort listener per signal, however many jobs share it (a run's cancel signal). */
  private watch(signal: AbortSignal, job: Job): void {
    let watched = this.watchedSignals.get(signal);
    if (watched === undefined) {
      const jobs = new Set<Job>();
      const onAbort = () => {
        for (const each of [...jobs]) this.abort(each, signal.reason);
      };
      watched = { jobs, onAbort };
      this.watchedSignals.set(signal, watched);
      signal.addEventListener("abort", onAbort, { once: true });
    }
    watched.jobs.add(job);
  }

  private unwatch(signal: AbortSignal, job: Job): void {
    const watched = this.watchedSignals.get(signal);
    if (watched === undefined || !watched.jobs.delete(job) || watched.jobs.size > 0) return;
    signal.removeEventListener("abort", watched.onAbort);
    this.watchedSignals.delete(signal);
  }

  private abort(job: Job, reason: unknown): void {
    const queued = this.queue.indexOf(job);
    if (queued >= 0) {
      this.queue.splice(queued, 1);
      this.settle(job, () => job.reject(reason));
      this.updateRefs();
      return;
    }
    for (const worker of this.workers) if (worker.job === job) this.kill(worker, reason);
  }

  /**
   * A worker holds the parent's event loop open only while someone waits on it: it runs a
   * job, it is starting while jobs wait or warm() is awaited, or close() awaits its exit.
   */
  private updateRefs(): void {
    const demand = this.queue.length > 0 || this.warming > 0;
    for (const worker of this.workers) {
      const wanted =
        this.closed ||
        worker.state === "busy" ||
        worker.state === "stopping" ||
        (worker.state === "starting" && demand);
      if (wanted === worker.referenced) continue;
      worker.referenced = wanted;
      if (wanted) {
        worker.child.ref();
        worker.child.channel?.ref();
      } else {
        worker.child.unref();
        worker.child.channel?.unref();
      }
    }
  }
}

/** A job pool; `size` defaults to the available cores. */
export function createJobPool(options: JobPoolOptions = {}): JobPool {
  return new JobPool(options);
}

let sharedPool: JobPool | undefined;

/** The process-wide job pool, created on first use. */
export function defaultJobPool(): JobPool {
  sharedPool ??= createJobPool();
  return sharedPool;
}

/** Closes the process-wide job pool, if it was created; the next use creates a new one. */
export async function closeDefaultJobPool(): Promise<void> {
  const pool = sharedPool;
  sharedPool = undefined;
  await pool?.close();
}

/** tsx's ESM loader, found from here so the worker loads TypeScript whatever the cwd. */
function tsxLoaderUrl(): string {
  return pathToFileURL(createRequire(import.meta.url).resolve("tsx")).href;
}
