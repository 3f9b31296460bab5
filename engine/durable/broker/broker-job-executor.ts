/**
 * A {@link JobExecutor} that sends job tasks through the broker's `jobs` queue to workers on any
 * machine. A result is taken from BullMQ's `completed`/`failed` events, and, since those have
 * been seen to go missing under concurrency, also from the job itself: jobs waited on for a
 * while are read back from the broker until they have settled.
 */
import { randomUUID } from "node:crypto";
import { deserialiseError } from "../../model/error-serialisation.js";
import type { JobExecutor, JobRequest } from "../../execute/executor.js";
import { QUEUE_NAMES, type Broker } from "./broker-connection.js";
import { BrokerJobLostError } from "./broker-errors.js";
import type { Bus } from "./bus.js";
import { decodeValue, encodeValue, jobResultSchema, type JobData } from "./job-wire.js";

/** How often jobs still waited on are read back from the broker, and after how long. */
const RECONCILE_EVERY_MS = 500;
const RECONCILE_AFTER_MS = 1_000;
/** At most this many jobs read back per round. */
const RECONCILE_BATCH = 200;
/** How many job tasks a run keeps queued at once by default: workers take them as they can. */
const DEFAULT_IN_FLIGHT = 1_000;

interface Waiter {
  readonly request: JobRequest;
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: unknown) => void;
  checkedAt: number;
  /** Set once the broker has the job: only then can its absence mean it was lost. */
  added: boolean;
}

/** Sends job tasks to workers through the broker. */
export class BrokerJobExecutor implements JobExecutor {
  readonly concurrency: number;
  readonly #queue;
  readonly #events;
  readonly #waiters = new Map<string, Waiter>();
  readonly #ready: Promise<unknown>;
  #timer: NodeJS.Timeout | undefined;
  #reconciling = false;

  constructor(
    broker: Broker,
    private readonly bus: Bus,
    options: { readonly inFlight?: number } = {},
  ) {
    this.concurrency = options.inFlight ?? DEFAULT_IN_FLIGHT;
    this.#queue = new broker.classes.Queue(QUEUE_NAMES.jobs, broker.options);
    this.#events = new broker.classes.QueueEvents(QUEUE_NAMES.jobs, broker.options);
    this.#events.on("completed", ({ jobId, returnvalue }) => this.#settle(jobId, returnvalue));
    this.#events.on("failed", ({ jobId, failedReason }) => this.#lost(jobId, failedReason));
    this.#events.on("error", () => undefined); // the connection retries; reconciling covers gaps
    this.#queue.on("error", () => undefined);
    this.#ready = this.#events.waitUntilReady();
  }

  /** Resolves with the job's return value; rejects with its error (name, message, stack kept). */
  async run(request: JobRequest): Promise<unknown> {
    request.signal?.throwIfAborted();
    await this.#ready;
    // the same task attempt asked again (its run continued elsewhere) waits on the same job
    const jobId = request.key !== undefined ? `task-${request.key}` : randomUUID();
    const data: JobData = {
      taskName: request.taskName,
      source: request.source,
      args: encodeValue(request.args),
      ...(request.timeoutMs !== undefined ? { timeoutMs: request.timeoutMs } : {}),
    };
    const settled = new Promise<unknown>((resolve, reject) => {
      this.#waiters.set(jobId, { request, resolve, reject, checkedAt: Date.now(), added: false });
    });
    const onAbort = (): void => {
      const waiter = this.#waiters.get(jobId);
      this.#waiters.delete(jobId);
      void this.bus.publish({ kind: "cancel-job", jobId }).catch(() => undefined);
      void this.#queue.remove(jobId).catch(() => undefined);
      waiter?.reject(request.signal?.reason);
    };
    request.signal?.addEventListener("abort", onAbort, { once: true });
    this.#timer ??= setInterval(() => void this.#reconcile(), RECONCILE_EVERY_MS);
    try {
      await this.#queue.add("job", data, {
        jobId,
        removeOnComplete: { age: 3_600, count: 100_000 },
        removeOnFail: { age: 24 * 3_600 },
      });
      const waiter = this.#waiters.get(jobId);
      if (waiter !== undefined) waiter.added = true;
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

  /** Workers run elsewhere: no local process to name. */
  pids(): number[] {
    return [];
  }

  /** Closes the broker connections; jobs still waited on reject. */
  async close(): Promise<void> {
    if (this.#timer !== undefined) clearInterval(this.#timer);
    for (const [jobId, waiter] of this.#waiters) {
      waiter.reject(new BrokerJobLostError(waiter.request.taskName, jobId, "the executor closed"));
    }
    this.#waiters.clear();
    await Promise.all([this.#queue.close(), this.#events.close()]);
  }

  #settle(jobId: string, returnvalue: unknown): void {
    const waiter = this.#waiters.get(jobId);
    if (waiter === undefined) return;
    const raw =
      typeof returnvalue === "string" ? (JSON.parse(returnvalue) as unknown) : returnvalue;
    const parsed = jobResultSchema.safeParse(raw);
    this.#waiters.delete(jobId);
    if (!parsed.success) {
      waiter.reject(new BrokerJobLostError(waiter.request.taskName, jobId, "unreadable result"));
      return;
    }
    const result = parsed.data;
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

  /** Reads back jobs waited on for a while: a missed event must not leave a task hanging. */
  async #reconcile(): Promise<void> {
    if (this.#reconciling) return;
    this.#reconciling = true;
    try {
      const now = Date.now();
      const due = [...this.#waiters]
        .filter(([, w]) => w.added && now - w.checkedAt >= RECONCILE_AFTER_MS)
        .slice(0, RECONCILE_BATCH);
      await Promise.all(
        due.map(async ([jobId, waiter]) => {
          waiter.checkedAt = Date.now();
          const job = await this.#queue.getJob(jobId);
          if (!this.#waiters.has(jobId)) return;
          if (job === undefined) {
            this.#lost(jobId, "it is no longer in the broker");
            return;
          }
          if (job.finishedOn === undefined) return;
          if (
            job.failedReason !== undefined &&
            job.failedReason !== "" &&
            job.returnvalue == null
          ) {
            this.#lost(jobId, job.failedReason);
          } else this.#settle(jobId, job.returnvalue);
        }),
      );
    } catch {
      // the broker is unreachable now: the next round tries again
    } finally {
      this.#reconciling = false;
    }
  }
}
