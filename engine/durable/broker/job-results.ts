/**
 * Results of job tasks, straight back to the process that sent them: each sender has a result
 * stream of its own (the events stream of queue `results-<id>`, written with BullMQ's
 * QueueEventsProducer and read with its QueueEvents, so Redis and PostgreSQL alike), named in
 * every job it sends (`replyTo`). A worker publishes the results that end in one event-loop
 * turn as one entry, before it completes their BullMQ jobs; so a sender reads only its own
 * results, one entry for many, instead of every event of every job on the `jobs` queue.
 */
import { randomUUID } from "node:crypto";
import { z } from "zod";
import type { Broker } from "./broker-connection.js";
import { jobResultSchema, type JobResult } from "./job-wire.js";
import { RestartingReader, RETRY_FIRST_MS, RETRY_MAX_MS } from "./restarting-reader.js";

const EVENT_NAME = "results";
/** The entry a worker adds to a result stream to know it has read it to the end. */
const PROBE_NAME = "probe";
/** How long reading a result stream to its end may take before the worker gives up on it. */
const READ_BACK_MS = 15_000;
/** Entries kept in a result stream; a sender reads them as they come. */
const MAX_ENTRIES = 10_000;
/** A worker's producer for a sender it has not answered for this long is closed. */
const IDLE_PRODUCER_MS = 60_000;

const entrySchema = z.array(z.tuple([z.string(), jobResultSchema]));

/** The queue whose events stream carries the results for sender `id`. */
export function resultQueueName(id: string): string {
  return `results-${id}`;
}

/**
 * The results already in stream `replyTo` for the task ids asked about: a worker running a
 * bundle again (its first worker died) skips the tasks whose results are out. It reads the
 * stream from its start through a {@link RestartingReader} (a broker that answers late is read
 * once it answers), adds a probe entry once reading, and stops at the probe; a stream it cannot
 * read to the probe within 15 s gives what it found (the other tasks run again: at least once).
 */
export async function resultsIn(
  broker: Broker,
  replyTo: string,
  ids: ReadonlySet<string>,
): Promise<Map<string, JobResult>> {
  const found = new Map<string, JobResult>();
  const probe = randomUUID();
  const events = new broker.classes.QueueEvents(replyTo, {
    ...broker.options,
    lastEventId: "0",
    autorun: false,
  });
  const producer = new broker.classes.QueueEventsProducer(replyTo, broker.options);
  events.on("error", () => undefined);
  producer.on("error", () => undefined);
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<void>((resolve) => (timer = setTimeout(resolve, READ_BACK_MS)));
  let reachedProbe: () => void = () => undefined;
  const reached = new Promise<void>((resolve) => (reachedProbe = resolve));
  const reader = new RestartingReader(events);
  events.on(
    EVENT_NAME as "error",
    ((args: { batch?: string }, entryId: string) => {
      reader.read(entryId);
      try {
        const entry = entrySchema.safeParse(JSON.parse(args.batch ?? "null"));
        if (!entry.success) return;
        for (const [id, result] of entry.data) if (ids.has(id)) found.set(id, result);
      } catch {
        // not an entry of ours
      }
    }) as never,
  );
  events.on(
    PROBE_NAME as "error",
    ((args: { probe?: string }, entryId: string) => {
      reader.read(entryId);
      if (args.probe === probe) reachedProbe();
    }) as never,
  );
  try {
    const reading = await Promise.race([reader.ready().then(() => true), timedOut]);
    if (reading === true) {
      // a probe that cannot be added: whatever was found so far
      const added = producer.publishEvent({ eventName: PROBE_NAME, probe }, MAX_ENTRIES).then(
        () => true,
        () => false,
      );
      if (await Promise.race([added, timedOut.then(() => false)])) {
        await Promise.race([reached, timedOut]);
      }
    }
  } finally {
    clearTimeout(timer);
    await Promise.all([reader.close(), producer.close()]).catch(() => undefined);
  }
  return found;
}

/**
 * A sender's end: results of its jobs as they arrive, in batches. The reader is a
 * {@link RestartingReader}: a sender made while the broker is out of reach reads its stream
 * once the broker answers.
 */
export class ResultInbox {
  readonly name: string;
  readonly #reader: RestartingReader;
  readonly #broker: Broker;

  constructor(
    broker: Broker,
    purpose: string,
    onResults: (results: readonly [string, JobResult][]) => void,
  ) {
    this.#broker = broker;
    this.name = `results-${purpose}-${randomUUID()}`;
    // the stream is new: read it from its start, so nothing published before the first read is missed
    const events = new broker.classes.QueueEvents(this.name, {
      ...broker.options,
      lastEventId: "0",
      autorun: false,
    });
    events.on(
      EVENT_NAME as "error",
      ((args: { batch?: string }, entryId: string) => {
        this.#reader.read(entryId);
        let parsed: z.infer<typeof entrySchema>;
        try {
          const result = entrySchema.safeParse(JSON.parse(args.batch ?? "null"));
          if (!result.success) return;
          parsed = result.data;
        } catch {
          return;
        }
        onResults(parsed);
      }) as never,
    );
    // the connection retries, the loop is started again; reconciling covers gaps
    events.on("error", () => undefined);
    this.#reader = new RestartingReader(events);
  }

  /** Resolves once the stream is being read (a broker out of reach: once it answers). */
  ready(): Promise<void> {
    return this.#reader.ready();
  }

  /** Why the stream could not be read last, if it could not. */
  get lastError(): unknown {
    return this.#reader.lastError;
  }

  /** Stops reading and removes the stream from the broker. */
  async close(): Promise<void> {
    await this.#reader.close();
    const queue = new this.#broker.classes.Queue(this.name, this.#broker.options);
    queue.on("error", () => undefined);
    try {
      await queue.obliterate({ force: true });
    } catch {
      // the broker is out of reach: the stream stays, trimmed to its last entries
    } finally {
      await queue.close();
    }
  }
}

interface Outgoing {
  readonly producer: {
    publishEvent(args: { eventName: string; batch: string }, max: number): Promise<void>;
    close(): Promise<void>;
  };
  pending: [string, JobResult][];
  waiting: (() => void)[];
  /** The publishing under way, if any. */
  flushing: Promise<void> | undefined;
  usedAt: number;
}

/** A worker's end: publishes results to their senders, one entry per sender per turn. */
export class ResultOutbox {
  readonly #broker: Broker;
  readonly #outgoing = new Map<string, Outgoing>();
  readonly #sweep: NodeJS.Timeout;
  #closing = false;

  constructor(broker: Broker) {
    this.#broker = broker;
    this.#sweep = setInterval(() => this.#closeIdle(), IDLE_PRODUCER_MS).unref();
  }

  /** Resolves once `result` is in the stream `replyTo` (retrying while the broker refuses). */
  send(replyTo: string, jobId: string, result: JobResult): Promise<void> {
    let out = this.#outgoing.get(replyTo);
    if (out === undefined) {
      const producer = new this.#broker.classes.QueueEventsProducer(replyTo, this.#broker.options);
      producer.on("error", () => undefined);
      out = { producer, pending: [], waiting: [], flushing: undefined, usedAt: Date.now() };
      this.#outgoing.set(replyTo, out);
    }
    out.usedAt = Date.now();
    out.pending.push([jobId, result]);
    const target = out;
    const done = new Promise<void>((resolve) => target.waiting.push(resolve));
    // the results that end in this turn go out together
    if (target.flushing === undefined && target.pending.length === 1) {
      setImmediate(() => void this.#flush(target));
    }
    return done;
  }

  #flush(out: Outgoing): Promise<void> {
    out.flushing ??= this.#publish(out).finally(() => {
      out.flushing = undefined;
      // a result that came as the publishing ended
      if (out.pending.length > 0) void this.#flush(out);
    });
    return out.flushing;
  }

  async #publish(out: Outgoing): Promise<void> {
    while (out.pending.length > 0) {
      const batch = out.pending.splice(0);
      const waiting = out.waiting.splice(0);
      const text = JSON.stringify(batch);
      for (let wait = RETRY_FIRST_MS; ; wait = Math.min(wait * 2, RETRY_MAX_MS)) {
        try {
          await out.producer.publishEvent({ eventName: EVENT_NAME, batch: text }, MAX_ENTRIES);
          break;
        } catch {
          // the broker is out of reach: its jobs wait too, so publishing again is all to do
          if (this.#closing) break;
          await new Promise((resolve) => setTimeout(resolve, wait));
        }
      }
      for (const resolve of waiting) resolve();
    }
  }

  #closeIdle(): void {
    const now = Date.now();
    for (const [name, out] of this.#outgoing) {
      if (
        out.flushing !== undefined ||
        out.pending.length > 0 ||
        now - out.usedAt < IDLE_PRODUCER_MS
      )
        continue;
      this.#outgoing.delete(name);
      void out.producer.close().catch(() => undefined);
    }
  }

  /** Publishes what is pending, then closes every producer. */
  async close(): Promise<void> {
    clearInterval(this.#sweep);
    this.#closing = true;
    const outs = [...this.#outgoing.values()];
    this.#outgoing.clear();
    await Promise.all(outs.map((out) => this.#flush(out)));
    await Promise.all(outs.map((out) => out.producer.close().catch(() => undefined)));
  }
}
