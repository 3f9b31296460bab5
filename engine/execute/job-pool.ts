/**
 * A warm pool of worker processes that run job functions, one job per process at a time, the
 * rest waiting in a FIFO queue. While its jobs are short, a worker is sent a few jobs ahead, in
 * one message, so it never waits for the pool between them. A process that dies (timeout,
 * abort, a crash, `process.exit`, a kill from outside) fails only its running job, the jobs
 * sent ahead go back to the queue, and it is replaced. Idle workers are unref'd, so a script
 * that used jobs still exits by itself.
 *
 *   run(request) → queue → worker ──jobs (batched)──▶ job-worker.ts ──replies (batched)──▶ settle
 */
import os from "node:os";
import { deserialiseError } from "../model/error-serialisation.js";
import { JobPoolClosedError, JobProcessError, TaskTimeoutError } from "../model/errors.js";
import { AbortWatch } from "./abort-watch.js";
import type { JobExecutor, JobRequest } from "./executor.js";
import { readWorkerMessage, type PoolMessage, type WorkerMessage } from "./job-protocol.js";
import { AHEAD_BELOW_MS, forkWorker, PIPELINE_DEPTH, sendAhead, TOP_UP_AT } from "./pool-worker.js";
import { requestMessage, running, type Job, type Worker } from "./pool-worker.js";

/** How a job pool is set up. */
export interface JobPoolOptions {
  /** How many worker processes, so how many jobs at once; default: the available cores. */
  readonly size?: number;
  /** Extra Node flags for each worker, such as `--max-old-space-size=4096`. */
  readonly execArgv?: readonly string[];
  /** @internal Jobs go ahead to a worker whose last job ran less than this (ms); for tests. */
  readonly aheadBelowMs?: number;
}

/** Runs job functions in a warm pool of `child_process.fork` workers. */
export class JobPool implements JobExecutor {
  /** How many jobs may run at once (one per worker process). */
  readonly concurrency: number;
  private readonly execArgv: readonly string[];
  private readonly aheadBelowMs: number;
  private readonly workers = new Set<Worker>();
  private readonly queue: Job[] = [];
  private readonly signals = new AbortWatch<Job>((job, reason) => this.abort(job, reason));
  private lastJobId = 0;
  private warming = 0;
  private closed = false;
  private dispatchQueued = false;
  private readonly dispatchNow = () => {
    this.dispatchQueued = false;
    this.dispatch();
  };
  private readonly killAllNow = () => {
    for (const worker of this.workers) worker.child.kill("SIGKILL");
  };

  constructor(options: JobPoolOptions = {}) {
    const size = options.size ?? os.availableParallelism();
    this.concurrency = Number.isFinite(size) ? Math.max(1, Math.floor(size)) : 1;
    this.execArgv = options.execArgv ?? [];
    this.aheadBelowMs = options.aheadBelowMs ?? AHEAD_BELOW_MS;
  }

  /** How many jobs to hand the pool at once to keep every worker busy: some are sent ahead. */
  get capacity(): number {
    return this.concurrency * PIPELINE_DEPTH;
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
      if (signal !== undefined) this.signals.watch(signal, job);
      this.queue.push(job);
      // The jobs asked for in one go leave in one message per worker.
      if (!this.dispatchQueued) {
        this.dispatchQueued = true;
        queueMicrotask(this.dispatchNow);
      }
    });
  }

  /**
   * @internal Stops the job of `request` (the object given to run()) as an abort of its signal
   * would: one job of many that share a signal, without a signal of its own. Does nothing once
   * the job has settled.
   */
  abortRequest(request: JobRequest, reason: unknown): void {
    let job = this.queue.find((each) => each.request === request);
    for (const worker of this.workers) {
      job ??= worker.jobs.find((each) => each.request === request && each.dropped !== true);
    }
    if (job !== undefined) this.abort(job, reason);
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
      const taskName = running(worker)?.request.taskName ?? "(none)";
      this.kill(worker, new JobPoolClosedError(taskName));
      return worker.exited;
    });
    await Promise.all(exits);
    process.off("exit", this.killAllNow);
  }

  /**
   * Hands waiting jobs to workers: first one to each idle worker, then, while no worker is
   * starting, some ahead to workers whose jobs are short; starts workers while jobs wait.
   */
  private dispatch(): void {
    let starting = 0;
    const batches = new Map<Worker, Job[]>();
    const ready: Worker[] = [];
    for (const worker of this.workers) {
      if (worker.state === "starting") starting++;
      if (worker.state !== "ready") continue;
      ready.push(worker);
      if (worker.jobs.length === 0 && this.queue.length > 0) {
        batches.set(worker, [this.queue.shift() as Job]);
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
    if (starting === 0) sendAhead(ready, batches, this.queue, this.aheadBelowMs);
    for (const [worker, jobs] of batches) this.send(worker, jobs);
    this.updateRefs();
  }

  /** Sends jobs to a worker in one message; a job whose arguments V8 cannot clone fails alone. */
  private send(worker: Worker, jobs: Job[]): void {
    const message: PoolMessage = { type: "jobs", jobs: jobs.map(requestMessage) };
    try {
      worker.child.send(message);
    } catch (error) {
      // V8 could not clone some job's arguments: send them one by one to find which.
      if (jobs.length > 1) {
        for (const job of jobs) this.send(worker, [job]);
        return;
      }
      // The worker never saw the job and stays as it was.
      const job = jobs[0] as Job;
      this.settle(job, () => job.reject(error));
      return;
    }
    const idle = running(worker) === undefined;
    worker.jobs.push(...jobs);
    if (idle) this.started(worker);
    const pid = worker.child.pid;
    for (const { request } of jobs) {
      if (request.onStart === undefined || pid === undefined) continue;
      try {
        request.onStart(pid);
      } catch {
        // An observer's failure must not leave the job half started.
      }
    }
  }

  /** The worker's next job has started: its timeout runs from now. */
  private started(worker: Worker): void {
    const job = running(worker);
    const timeoutMs = job?.request.timeoutMs;
    if (job === undefined || timeoutMs === undefined) return;
    job.timer = setTimeout(() => {
      this.kill(worker, new TaskTimeoutError(job.request.taskName, timeoutMs));
    }, timeoutMs);
  }

  private spawn(): void {
    const worker = forkWorker(this.execArgv);
    if (this.workers.size === 0) process.on("exit", this.killAllNow);
    this.workers.add(worker);
    const { child } = worker;
    child.on("message", (raw: unknown) => {
      const message = readWorkerMessage(raw);
      // Our worker sends nothing else; a stray message must not take the pool down.
      if (message !== undefined) this.onMessage(worker, message);
    });
    child.on("exit", (code, signal) => this.onExit(worker, code, signal));
    child.on("error", () => {
      // A process that never started has no exit to wait for. Other errors (a failed send
      // to a dying process) are followed by its exit.
      if (child.pid === undefined) this.onExit(worker, null, null);
    });
  }

  private onMessage(worker: Worker, message: WorkerMessage): void {
    if (message.type === "replies") {
      for (const reply of message.replies) this.onMessage(worker, reply);
      return;
    }
    if (message.type === "ready") {
      if (worker.state !== "starting") return;
      worker.state = "ready";
      worker.markReady();
      this.dispatch();
      return;
    }
    if (worker.state !== "ready") return;
    // The worker answers in order: jobs before this one were dropped and skipped.
    const at = worker.jobs.findIndex((job) => job.id === message.id);
    if (at < 0) return;
    const job = worker.jobs[at] as Job;
    if (message.type === "output") {
      if (job.dropped === true) return;
      try {
        job.request.onOutput?.({ method: message.method, text: message.text });
      } catch {
        // An observer's failure must not end the job.
      }
      return;
    }
    worker.jobs.splice(0, at + 1);
    worker.lastMs = message.ms ?? Infinity;
    if (running(worker) !== undefined) this.started(worker);
    // An idle worker gets its next job before this one settles, so it never waits on our
    // callers; one with jobs ahead is topped up after, with what they asked for meanwhile.
    if (worker.jobs.length === 0) this.dispatch();
    else if (worker.jobs.length <= TOP_UP_AT && !this.dispatchQueued) {
      this.dispatchQueued = true;
      queueMicrotask(this.dispatchNow);
    }
    if (job.dropped === true) return;
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
    const job = running(worker);
    const ahead = worker.jobs.splice(0).filter((each) => each !== job && each.dropped !== true);
    if (job !== undefined) {
      this.settle(job, () => job.reject(job.killedFor ?? died(job.request.taskName)));
    }
    // Jobs sent ahead never started: they go first to the next worker, or fail if closed.
    if (this.closed) {
      for (const each of ahead) this.settle(each, () => each.reject(died(each.request.taskName)));
    } else {
      this.queue.unshift(...ahead);
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
    const job = running(worker);
    if (job !== undefined) job.killedFor = reason;
    // Its reply may already be on the way: it must not settle the job nor free the worker.
    worker.state = "stopping";
    worker.child.kill("SIGKILL");
  }

  /** Runs `outcome` once the job no longer holds a timer or an abort listener. */
  private settle(job: Job, outcome: () => void): void {
    if (job.timer !== undefined) clearTimeout(job.timer);
    const { signal } = job.request;
    if (signal !== undefined) this.signals.unwatch(signal, job);
    outcome();
  }

  /** A waiting job is taken out; a running one's process is killed; one sent ahead is dropped. */
  private abort(job: Job, reason: unknown): void {
    const queued = this.queue.indexOf(job);
    if (queued >= 0) {
      this.queue.splice(queued, 1);
      this.settle(job, () => job.reject(reason));
      this.updateRefs();
      return;
    }
    for (const worker of this.workers) {
      if (!worker.jobs.includes(job)) continue;
      if (running(worker) === job || worker.state !== "ready") {
        this.kill(worker, reason);
        return;
      }
      job.dropped = true;
      try {
        worker.child.send({ type: "drop", id: job.id } satisfies PoolMessage);
      } catch {
        // The channel is closing: the worker's exit puts nothing back, the job is dropped.
      }
      this.settle(job, () => job.reject(reason));
      return;
    }
  }

  /**
   * A worker holds the parent's event loop open only while someone waits on it: it has jobs,
   * it is starting while jobs wait or warm() is awaited, or close() awaits its exit.
   */
  private updateRefs(): void {
    const demand = this.queue.length > 0 || this.warming > 0;
    for (const worker of this.workers) {
      const wanted =
        this.closed ||
        (worker.state === "ready" && worker.jobs.some((job) => job.dropped !== true)) ||
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
