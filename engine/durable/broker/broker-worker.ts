/**
 * A worker on a broker: `workgraph worker` on any machine. It takes job tasks from the `jobs`
 * queue into a local pool of job processes and, unless jobs-only, submitted flows from the
 * `runs` queue into a daemon of its own (the same `Daemon` as the local one), whose job tasks go
 * back through the broker to whichever worker is free. It publishes the events of the runs it
 * holds on the bus and carries out the pause/play/kill and job cancels it hears there.
 */
import type { EngineEvent } from "../../model/events.js";
import { serialiseError } from "../../model/error-serialisation.js";
import { JobPoolClosedError } from "../../model/errors.js";
import type { ProvenanceReader } from "../../store/reader.js";
import type { ProvenanceStore } from "../../store/store.js";
import type { JobRequest } from "../../execute/executor.js";
import { createJobPool } from "../../execute/job-pool.js";
import { Daemon } from "../daemon.js";
import { QUEUE_NAMES, type Broker } from "./broker-connection.js";
import { BrokerJobExecutor } from "./broker-job-executor.js";
import { BrokerRunQueue, type RunJobData } from "./broker-run-queue.js";
import {
  FLOWS_PER_WORKER,
  KEEPER_MAX_STALL_MS,
  RUN_RETRY_DELAY_MS,
  workerTiming,
} from "./broker-timing.js";
import { Bus, type BusMessage } from "./bus.js";
import { ResultOutbox, resultsIn } from "./job-results.js";
import { LockKeeper } from "./lock-keeper.js";
import {
  BUNDLE_JOB,
  bundleDataSchema,
  decodeValue,
  encodeValue,
  jobDataSchema,
  type BundleResult,
  type JobData,
  type JobResult,
} from "./job-wire.js";
import { publishRunEvents } from "./run-publisher.js";

/** Cancelled task ids a worker remembers, for the bundled ones it has not started yet. */
const CANCELS_KEPT = 10_000;

/**
 * The most tasks of one bundle that are run (or running) and whose results are not yet
 * published to their sender: what a worker that dies leaves to run again, per job process
 * (larger windows publish fewer, larger result entries and hand tasks out in larger groups;
 * ARCHITECTURE.md has the figures).
 */
export const PUBLISH_WINDOW = 32;
/** A bundle whose window is full hands out tasks again once this many are free. */
const REFILL_AT = PUBLISH_WINDOW / 2;

/** Why a task stopped that its run cancelled (the sender has its own reason already). */
const cancelledByRun = (): Error => new Error("cancelled by its run");

/** What a worker needs. */
export interface BrokerWorkerOptions {
  readonly profile: string;
  readonly broker: Broker;
  readonly store: ProvenanceStore & ProvenanceReader;
  /** Job processes (and job tasks at once) on this machine. */
  readonly concurrency: number;
  /** Take job tasks only, no flows. */
  readonly jobsOnly?: boolean;
  readonly packageEntry: Readonly<Record<string, unknown>>;
  readonly log: (text: string) => void;
}

/** A running worker. */
export interface BrokerWorker {
  /** Pids of this worker's job processes. */
  readonly jobPids: () => number[];
  /** Stops taking work; runs it holds are continued by another worker once their locks lapse. */
  close(): Promise<void>;
}

/** Starts taking job tasks (and flows) from the profile's broker. */
export async function startBrokerWorker(options: BrokerWorkerOptions): Promise<BrokerWorker> {
  const { broker, store, log } = options;
  const bus = new Bus(broker, { log });
  const pool = createJobPool({ size: options.concurrency });
  const outbox = new ResultOutbox(broker);
  const timing = workerTiming();
  const common = { ...broker.options, ...timing, runRetryDelay: RUN_RETRY_DELAY_MS };
  // the locks of the jobs and runs held here are renewed even while this thread is stuck
  const keeper = new LockKeeper(
    broker,
    options.jobsOnly === true ? [QUEUE_NAMES.jobs] : [QUEUE_NAMES.jobs, QUEUE_NAMES.runs],
    2 * (options.concurrency + FLOWS_PER_WORKER),
    {
      lockDuration: timing.lockDuration,
      renewEveryMs: timing.lockRenewTime / 2,
      maxStallMs: KEEPER_MAX_STALL_MS,
    },
    (error) => log(`lock keeper stopped: ${error.message}`),
  );
  let lastError = "";
  // a broker that is down repeats the same error on every retry: say it once
  const logError = (where: string, error: Error): void => {
    const text = `${where}: ${error.message}`;
    if (text !== lastError) log(text);
    lastError = text;
  };

  /** Bundled tasks running here, to cancel one; cancelled ones heard of, to skip them. */
  const running = new Map<string, JobRequest>();
  let closing = false;
  /** A bundle this worker stops in: left to another worker once its lock lapses. */
  const leftBehind = (): Promise<never> => new Promise<never>(() => undefined);
  const cancelled = new Set<string>();
  const cancel = (id: string): void => {
    const reason = cancelledByRun();
    jobs.cancelJob(id, reason.message);
    const request = running.get(id);
    if (request !== undefined) pool.abortRequest(request, reason);
    else {
      cancelled.add(id);
      if (cancelled.size > CANCELS_KEPT) cancelled.delete(cancelled.values().next().value!);
    }
  };

  const jobs = new broker.classes.Worker(
    QUEUE_NAMES.jobs,
    (job, token, signal): Promise<JobResult | BundleResult> =>
      keeper.keeping(QUEUE_NAMES.jobs, job.id, token, async () => {
        if (job.name === BUNDLE_JOB) {
          const again = job.attemptsStarted > 1 || job.stalledCounter > 0;
          return runBundle(job.data, again, signal);
        }
        const data = jobDataSchema.parse(job.data);
        const result = await runJob(data, signal);
        // broken off by the worker's stop, not a result of the task: it runs again elsewhere
        if (result === undefined) return leftBehind();
        // the sender hears first; a worker that dies before completing the job runs it again
        if (data.replyTo !== undefined && job.id !== undefined) {
          await outbox.send(data.replyTo, job.id, result);
        }
        return result;
      }),
    // no more jobs than job processes: a machine that dies takes back only the jobs it ran
    // (fetching ahead would let it hold finished jobs not yet completed, which run again)
    { ...common, concurrency: options.concurrency },
  );
  jobs.on("error", (error) => logError("jobs queue", error));

  /**
   * Runs a bundle's tasks in order. Up to {@link PUBLISH_WINDOW} of them are handed to the
   * job pool at once (which sends them to a job process in one message, so it never waits for
   * this worker between tasks), and each result is published to the sender's stream as it
   * comes; but no more than the window of the bundle's tasks are ever handed out (run, running
   * or about to) and not yet published: a worker that dies leaves at most that many tasks of
   * the bundle run and unanswered (its in-flight tasks). A full window takes tasks again half a
   * window at a time, so they travel to the job process, and back, several to a message. Run
   * again, the bundle skips the tasks whose results are already in the sender's stream.
   */
  async function runBundle(
    raw: unknown,
    again: boolean,
    signal: AbortSignal | undefined,
  ): Promise<BundleResult> {
    const data = bundleDataSchema.parse(raw);
    const answered =
      again && data.replyTo !== undefined
        ? await resultsIn(broker, data.replyTo, new Set(data.tasks.map((task) => task.id)))
        : new Map<string, JobResult>();
    /** Each task's result in order: known ones at once, the others once published. */
    const results: Promise<[string, JobResult] | undefined>[] = [];
    let free = PUBLISH_WINDOW;
    let freed: (() => void) | undefined;
    let brokenOff = false;
    const runTask = async (id: string, task: JobData): Promise<[string, JobResult] | undefined> => {
      let result: JobResult | undefined;
      if (cancelled.delete(id)) {
        result = { ok: false, error: serialiseError(cancelledByRun()), output: [] };
      } else {
        // the BullMQ job's signal reaches every task (the pool keeps one listener for it); a
        // cancel reaches one task through its request, so a task makes no AbortController
        try {
          result = await runJob(task, signal, (request) => running.set(id, request));
        } finally {
          running.delete(id);
        }
      }
      // broken off by the worker's stop: its slot stays taken, the bundle is left behind
      if (result === undefined) {
        brokenOff = true;
        freed?.();
        return undefined;
      }
      if (data.replyTo !== undefined) await outbox.send(data.replyTo, id, result);
      free++;
      freed?.();
      return [id, result];
    };
    for (const { id, ...task } of data.tasks) {
      if (closing || brokenOff) return leftBehind();
      const known = answered.get(id);
      if (known !== undefined) {
        results.push(Promise.resolve([id, known]));
        continue;
      }
      // the task about to run is in flight too: room for it first. A full window takes
      // tasks again once half of it is free (or all that are left), so they reach the job
      // process in one message and their results come back, and go out, together.
      if (free === 0) {
        const room = Math.min(REFILL_AT, data.tasks.length - results.length);
        while (free < room && !brokenOff) await new Promise<void>((resolve) => (freed = resolve));
        freed = undefined;
      }
      if (closing || brokenOff) return leftBehind();
      free--;
      results.push(runTask(id, task));
    }
    // every result is out before the bundle completes
    const settled = await Promise.all(results);
    const all = settled.filter((entry) => entry !== undefined);
    if (brokenOff || all.length < settled.length) return leftBehind();
    return { results: all };
  }

  /** The task's result; undefined when the worker's stop broke it off. */
  async function runJob(
    data: JobData,
    signal: AbortSignal | undefined,
    handedOut?: (request: JobRequest) => void,
  ): Promise<JobResult | undefined> {
    const output: { method: "log" | "info" | "debug" | "warn" | "error"; text: string }[] = [];
    try {
      const request: JobRequest = {
        taskName: data.taskName,
        source: data.source,
        args: decodeValue(data.args) as unknown[],
        ...(data.timeoutMs !== undefined ? { timeoutMs: data.timeoutMs } : {}),
        ...(signal !== undefined ? { signal } : {}),
        onOutput: (line) => output.push({ method: line.method, text: line.text }),
      };
      handedOut?.(request);
      const value = await pool.run(request);
      return { ok: true, value: encodeValue(value), output };
    } catch (error) {
      if (closing && error instanceof JobPoolClosedError) return undefined;
      return { ok: false, error: serialiseError(error), output };
    }
  }

  let daemon: Daemon | undefined;
  let runs: InstanceType<Broker["classes"]["Worker"]> | undefined;
  let runQueue: BrokerRunQueue | undefined;
  let executor: BrokerJobExecutor | undefined;
  if (options.jobsOnly !== true) {
    runQueue = new BrokerRunQueue(store, broker);
    const sender = (executor = new BrokerJobExecutor(broker, bus));
    const held = (daemon = new Daemon({
      profile: options.profile,
      store,
      queue: runQueue,
      jobs: executor,
      packageEntry: options.packageEntry,
      log,
    }));
    const queue = runQueue;
    runs = new broker.classes.Worker(
      QUEUE_NAMES.runs,
      (job, token) =>
        keeper.keeping(QUEUE_NAMES.runs, job.id, token, async () => {
          const { pk } = job.data as RunJobData;
          // taken from a worker that died: its job tasks sent in bundles are waited on, not resent
          if (job.attemptsStarted > 1 || job.stalledCounter > 0) {
            // a broker out of reach here leaves them to be sent again: at least once still
            await sender.adopt().catch((error: Error) => logError("finding bundles", error));
          }
          const ended = queue.take(pk, () => held.wake());
          if (held.holds(pk)) publishRunEvents(held, bus, pk);
          return { state: await ended };
        }),
      { ...common, concurrency: FLOWS_PER_WORKER },
    );
    runs.on("error", (error) => logError("runs queue", error));
  }

  await bus.subscribe((message: BusMessage) => {
    if (message.kind === "cancel-job") cancel(message.jobId);
    else if (message.kind === "control" && daemon?.holds(message.pk) === true) {
      let error = daemon.control(message.pk, message.action);
      // what the command changed is stored before it is answered: whoever asked reads it next
      if (error === undefined) {
        try {
          store.flush();
        } catch (cause) {
          error = `${message.action} was carried out but not yet stored: ${String(cause)}`;
        }
      }
      if (message.request !== undefined) {
        const request = message.request;
        void bus
          .publish({ kind: "control-done", request, ...(error !== undefined ? { error } : {}) })
          .catch(() => undefined);
      }
    } else if (message.kind === "replay" && daemon?.holds(message.pk) === true) {
      const kept: readonly EngineEvent[] = daemon.kept(message.pk) ?? [];
      void bus
        .publish({
          kind: "events",
          pk: message.pk,
          holding: bus.id,
          from: message.from,
          events: kept.slice(message.from),
          to: message.follower,
        })
        .catch(() => undefined); // the follower asks again, or reads the store
    }
  });
  await Promise.all([jobs.waitUntilReady(), runs?.waitUntilReady(), keeper.ready()]);
  log(
    `worker on ${broker.kind} broker: ${options.concurrency} job processes` +
      (options.jobsOnly === true
        ? ", job tasks only"
        : `, flows too (${FLOWS_PER_WORKER} at once)`),
  );
  return {
    jobPids: () => pool.pids(),
    async close() {
      closing = true;
      daemon?.stop();
      // the job processes go first: a bundle's tasks already handed to the pool start no more;
      // the lock keeper too, so what is left behind here lapses and goes to another worker
      await Promise.all([pool.close(), runs?.close(true), jobs.close(true), keeper.close()]);
      await Promise.all([executor?.close(), runQueue?.close(), bus.close(), outbox.close()]);
      store.flush();
    },
  };
}
