/**
 * A {@link JobExecutor} that sends job tasks through the broker's `jobs` queue to workers on any
 * machine. The jobs asked for in one event-loop turn go in with one `addBulk`: one BullMQ job
 * per task when they are few, bundles of several tasks when they are many (one BullMQ job runs
 * many tasks, so the broker's work per task shrinks). Each job names this executor's result
 * stream (`job-results.ts`), where workers publish each task's result as it ends. A result that
 * never arrives (a worker that died, a job lost) is found by reading the job back: only when no
 * result has come for a while, and with a growing pause per job, so a busy executor reads
 * nothing back. A continued run finds the bundles its tasks were sent in ({@link adopt}).
 */
import { randomUUID } from "node:crypto";
import { deserialiseError } from "../../model/error-serialisation.js";
import type { JobExecutor, JobRequest } from "../../execute/executor.js";
import { QUEUE_NAMES, type Broker } from "./broker-connection.js";
import { BrokerJobLostError, BrokerUnavailableError } from "./broker-errors.js";
import type { Bus } from "./bus.js";
import { ResultInbox } from "./job-results.js";
import { sentBundles } from "./sent-bundles.js";
import {
  BUNDLE_JOB,
  SINGLE_JOB,
  bundleResultSchema,
  decodeValue,
  encodeValue,
  jobResultSchema,
  type BundleData,
  type JobData,
  type JobResult,
} from "./job-wire.js";

/** How often jobs still waited on may be read back, and when: after this much silence. */
const RECONCILE_EVERY_MS = 1_000;
const SILENCE_MS = 1_000;
/** A job is read back first after this long, then after twice as long, up to the maximum. */
const FIRST_CHECK_MS = 1_000;
const MAX_CHECK_MS = 30_000;
/** At most this many jobs read back per round. */
const RECONCILE_BATCH = 200;
/**
 * How long a completed job stays on the broker (an hour, for the read-backs), and, on Redis, at
 * most how many. On PostgreSQL a count costs each completion a scan and sort of every completed
 * job of the queue (BullMQ keeps the newest `count` by `NOT IN` a sorted subquery), so a lone
 * job's round trip grew with the jobs completed in the last hour; the age alone is an index
 * range read of what is due.
 */
const KEEP_COMPLETED = { age: 3_600, count: 100_000 } as const;
const KEEP_COMPLETED_PG = { age: 3_600 } as const;
/** At most this many jobs per `addBulk`. */
const ADD_BATCH = 1_000;
/** How long adding jobs is tried again while the broker is out of reach, by default. */
const UNAVAILABLE_AFTER_MS = 60_000;
/** How many job tasks a run keeps queued at once by default: workers take them as they can. */
const DEFAULT_IN_FLIGHT = 1_000;
/**
 * Fewer tasks than this in one turn go one per BullMQ job (a lone task's round trip stays one
 * hop); more go in bundles, about {@link BUNDLES_PER_BATCH} of them so every worker gets some,
 * of at most {@link MAX_BUNDLE} tasks.
 */
const BUNDLE_FROM = 32;
const BUNDLES_PER_BATCH = 16;
const MAX_BUNDLE = 64;

interface Waiter {
  /** The task's id: its result's name, and its BullMQ job's id when it travels alone. */
  readonly jobId: string;
  /** The BullMQ job that carries it: its own, or its bundle's. */
  job: string;
  readonly request: JobRequest;
  readonly data: JobData;
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: unknown) => void;
  readonly addedAt: number;
  /** When the job may be read back next, and the pause after that. */
  checkAt: number;
  checkEvery: number;
  /** Set once the broker has the job: only then can its absence mean it was lost. */
  added: boolean;
}

/** Sends job tasks to workers through the broker. */
export class BrokerJobExecutor implements JobExecutor {
  readonly concurrency: number;
  readonly #broker: Broker;
  readonly #queue;
  readonly #inbox: ResultInbox;
  readonly #waiters = new Map<string, Waiter>();
  /** Task ids of keyed tasks already in a bundle on the broker, and that bundle's id. */
  readonly #adopted = new Map<string, string>();
  readonly #toAdd: Waiter[] = [];
  #adding = false;
  #heardAt = Date.now();
  #timer: NodeJS.Timeout | undefined;
  #reconciling = false;
  #closed = false;
  readonly #unavailableAfterMs: number;
  readonly #keepCompleted: { readonly age: number; readonly count?: number };

  constructor(
    broker: Broker,
    private readonly bus: Bus,
    options: { readonly inFlight?: number; readonly unavailableAfterMs?: number } = {},
  ) {
    this.concurrency = options.inFlight ?? DEFAULT_IN_FLIGHT;
    this.#unavailableAfterMs = options.unavailableAfterMs ?? UNAVAILABLE_AFTER_MS;
    this.#broker = broker;
    this.#keepCompleted = broker.kind === "postgresql" ? KEEP_COMPLETED_PG : KEEP_COMPLETED;
    this.#queue = new broker.classes.Queue(QUEUE_NAMES.jobs, broker.options);
    this.#queue.on("error", () => undefined);
    this.#inbox = new ResultInbox(broker, bus.id, (results) => {
      this.#heardAt = Date.now();
      for (const [jobId, result] of results) this.#settle(jobId, result);
    });
  }

  /** Resolves with the job's return value; rejects with its error (name, message, stack kept). */
  async run(request: JobRequest): Promise<unknown> {
    request.signal?.throwIfAborted();
    // the same task attempt asked again (its run continued elsewhere) waits on the same job
    const jobId = request.key !== undefined ? `task-${request.key}` : randomUUID();
    const data: JobData = {
      taskName: request.taskName,
      source: request.source,
      args: encodeValue(request.args),
      replyTo: this.#inbox.name,
      ...(request.timeoutMs !== undefined ? { timeoutMs: request.timeoutMs } : {}),
    };
    const settled = new Promise<unknown>((resolve, reject) => {
      const now = Date.now();
      const bundle = this.#adopted.get(jobId);
      this.#adopted.delete(jobId);
      const waiter: Waiter = {
        jobId,
        job: bundle ?? jobId,
        request,
        data,
        resolve,
        reject,
        addedAt: now,
        checkAt: now + FIRST_CHECK_MS,
        checkEvery: FIRST_CHECK_MS,
        added: bundle !== undefined,
      };
      this.#waiters.set(jobId, waiter);
      // a task already in a bundle (its run continued here) is waited on, not sent again
      if (bundle === undefined) this.#toAdd.push(waiter);
    });
    if (!this.#adding && this.#toAdd.length === 1) setImmediate(() => void this.#addQueued());
    const onAbort = (): void => {
      const waiter = this.#waiters.get(jobId);
      this.#waiters.delete(jobId);
      // the worker running it (or its bundle) stops it; one not yet started is skipped
      void this.bus.publish({ kind: "cancel-job", jobId }).catch(() => undefined);
      if (waiter?.job === jobId) void this.#queue.remove(jobId).catch(() => undefined);
      waiter?.reject(request.signal?.reason);
    };
    request.signal?.addEventListener("abort", onAbort, { once: true });
    this.#timer ??= setInterval(() => void this.#reconcile(), RECONCILE_EVERY_MS);
    try {
      return await settled;
    } finally {
      request.signal?.removeEventListener("abort", onAbort);
      this.#waiters.delete(jobId);
      if (this.#waiters.size === 0 && this.#timer !== undefined) {
        clearInterval(this.#timer);
        this.#timer = undefined;
      }
    }
  }

  /**
   * Finds the bundles on the broker and the keyed tasks in them, so that a run continued here
   * waits on a task already sent in a bundle instead of sending it again (a task sent alone is
   * found by its job id). Called before a run taken from another worker is continued.
   */
  async adopt(): Promise<void> {
    for (const [task, bundle] of await sentBundles(this.#queue)) this.#adopted.set(task, bundle);
  }

  /** Workers run elsewhere: no local process to name. */
  pids(): number[] {
    return [];
  }

  /** Closes the broker connections; jobs still waited on reject. */
  async close(): Promise<void> {
    this.#closed = true;
    if (this.#timer !== undefined) clearInterval(this.#timer);
    for (const [jobId, waiter] of this.#waiters) {
      waiter.reject(new BrokerJobLostError(waiter.request.taskName, jobId, "the executor closed"));
    }
    this.#waiters.clear();
    await Promise.all([this.#queue.close(), this.#inbox.close()]);
  }

  /** Adds the jobs asked for so far, `ADD_BATCH` at a time, once the result stream is read. */
  async #addQueued(): Promise<void> {
    if (this.#adding) return;
    this.#adding = true;
    try {
      await this.#whenReady();
      while (this.#toAdd.length > 0 && !this.#closed) {
        const batch = this.#toAdd.splice(0, ADD_BATCH).filter((w) => this.#waiters.has(w.jobId));
        if (batch.length === 0) continue;
        try {
          await this.#addBulk(batch);
          for (const waiter of batch) waiter.added = true;
        } catch (error) {
          const cause = new BrokerUnavailableError(this.#broker.kind, this.#broker.url, error);
          for (const waiter of batch) {
            this.#waiters.delete(waiter.jobId);
            waiter.reject(cause);
          }
        }
      }
    } catch (error) {
      // the result stream could not be read: no job can be waited on
      const cause = new BrokerUnavailableError(this.#broker.kind, this.#broker.url, error);
      for (const waiter of this.#toAdd.splice(0)) {
        this.#waiters.delete(waiter.jobId);
        waiter.reject(cause);
      }
    } finally {
      this.#adding = false;
      if (this.#toAdd.length > 0 && !this.#closed) setImmediate(() => void this.#addQueued());
    }
  }

  /**
   * The result stream is read: waits for it as long as jobs may wait for the broker (the
   * inbox keeps trying to read it), then fails with the inbox's last error.
   */
  async #whenReady(): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        const last = this.#inbox.lastError;
        reject(
          last instanceof Error ? last : new Error(`no answer for ${this.#unavailableAfterMs} ms`),
        );
      }, this.#unavailableAfterMs);
    });
    try {
      await Promise.race([this.#inbox.ready(), late]);
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * The BullMQ jobs of a batch: one per task when few, else bundles of consecutive tasks
   * (a bundle's id is its first task's, so the same batch tried again adds nothing twice).
   */
  #jobsOf(batch: readonly Waiter[]): { name: string; data: JobData | BundleData; id: string }[] {
    if (batch.length < BUNDLE_FROM) {
      return batch.map((waiter) => ({ name: SINGLE_JOB, data: waiter.data, id: waiter.jobId }));
    }
    const size = Math.min(MAX_BUNDLE, Math.ceil(batch.length / BUNDLES_PER_BATCH));
    const jobs: { name: string; data: BundleData; id: string }[] = [];
    for (let at = 0; at < batch.length; at += size) {
      const part = batch.slice(at, at + size);
      const id = `bundle-${part[0]!.jobId}`;
      for (const waiter of part) waiter.job = id;
      jobs.push({
        name: BUNDLE_JOB,
        id,
        data: {
          replyTo: this.#inbox.name,
          tasks: part.map(({ jobId, data: { replyTo: _, ...task } }) => ({ id: jobId, ...task })),
        },
      });
    }
    return jobs;
  }

  /** One `addBulk`, tried again while the broker is out of reach (a minute by default). */
  async #addBulk(batch: readonly Waiter[]): Promise<void> {
    const jobs = this.#jobsOf(batch).map(({ name, data, id }) => ({
      name,
      data,
      opts: {
        jobId: id,
        removeOnComplete: this.#keepCompleted,
        removeOnFail: { age: 24 * 3_600 },
      },
    }));
    const giveUpAt = Date.now() + this.#unavailableAfterMs;
    for (let wait = 50; ; wait = Math.min(wait * 2, 2_000)) {
      try {
        // a lone job goes in with `add`: on PostgreSQL, `addBulk` builds two temporary tables
        // per call, which makes it a few ms slower than `add` for one job
        if (jobs.length === 1) {
          const [{ name, data, opts }] = jobs as [(typeof jobs)[number]];
          await this.#queue.add(name, data, opts);
        } else await this.#queue.addBulk(jobs);
        return;
      } catch (error) {
        // adding a job again is harmless: the broker keeps the first job of an id
        if (this.#closed || Date.now() + wait > giveUpAt) throw error;
        await new Promise((resolve) => setTimeout(resolve, wait));
      }
    }
  }

  #settle(jobId: string, result: JobResult): void {
    const waiter = this.#waiters.get(jobId);
    if (waiter === undefined) return;
    this.#waiters.delete(jobId);
    for (const output of result.output) waiter.request.onOutput?.(output);
    if (result.ok) waiter.resolve(decodeValue(result.value));
    else waiter.reject(deserialiseError(result.error));
  }

  #lost(jobId: string, reason: string): void {
    const waiter = this.#waiters.get(jobId);
    if (waiter === undefined) return;
    this.#waiters.delete(jobId);
    waiter.reject(new BrokerJobLostError(waiter.request.taskName, jobId, reason));
  }

  /**
   * Reads back jobs whose result has not come: when no result has come for a while (so the
   * run waits on them), or rarely for jobs that run long. A job that has ended is settled
   * from the broker; one that is gone is lost.
   */
  async #reconcile(): Promise<void> {
    if (this.#reconciling) return;
    this.#reconciling = true;
    try {
      const now = Date.now();
      const silent = now - this.#heardAt >= SILENCE_MS;
      const due: Waiter[] = [];
      for (const waiter of this.#waiters.values()) {
        if (due.length >= RECONCILE_BATCH) break;
        if (!waiter.added || now < waiter.checkAt) continue;
        // while results come, the run is not waiting on this job alone: read back long ones only
        if (!silent && now - waiter.addedAt < MAX_CHECK_MS) continue;
        due.push(waiter);
      }
      const byJob = new Map<string, Waiter[]>();
      for (const waiter of due) {
        const same = byJob.get(waiter.job);
        if (same === undefined) byJob.set(waiter.job, [waiter]);
        else same.push(waiter);
      }
      await Promise.all([...byJob].map(([job, waiters]) => this.#readBack(job, waiters)));
    } catch {
      // the broker is out of reach now: the next round tries again
    } finally {
      this.#reconciling = false;
    }
  }

  /** Reads back one BullMQ job; settles the waiters it carries once it has ended. */
  async #readBack(jobId: string, waiters: readonly Waiter[]): Promise<void> {
    const now = Date.now();
    for (const waiter of waiters) {
      waiter.checkEvery = Math.min(waiter.checkEvery * 2, MAX_CHECK_MS);
      waiter.checkAt = now + waiter.checkEvery;
    }
    const state = await this.#queue.getJobState(jobId);
    if (state !== "completed" && state !== "failed" && state !== "unknown") return;
    const job = await this.#queue.getJob(jobId);
    if (job === undefined) {
      for (const waiter of waiters) this.#lost(waiter.jobId, "it is no longer in the broker");
      return;
    }
    if (job.finishedOn === undefined) return;
    const raw: unknown =
      typeof job.returnvalue === "string" ? JSON.parse(job.returnvalue) : job.returnvalue;
    const results = new Map<string, JobResult>();
    const single = jobResultSchema.safeParse(raw);
    if (single.success) results.set(jobId, single.data);
    const bundle = bundleResultSchema.safeParse(raw);
    if (bundle.success) for (const [id, result] of bundle.data.results) results.set(id, result);
    for (const waiter of waiters) {
      const result = results.get(waiter.jobId);
      if (result !== undefined) this.#settle(waiter.jobId, result);
      else this.#lost(waiter.jobId, job.failedReason || "its result is unreadable");
    }
  }
}
