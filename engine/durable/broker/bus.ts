/**
 * The profile's bus on its broker: small JSON messages on the events stream of the `bus` queue
 * (BullMQ's QueueEventsProducer/QueueEvents, so it works on Redis and on PostgreSQL alike).
 * Workers publish the events of the runs they hold, numbered per holding; followers ask the
 * holder to send again what they missed; pause/play/kill and job cancels reach every worker.
 */
import { randomUUID } from "node:crypto";
import { z } from "zod";
import type { EngineEvent } from "../../model/events.js";
import { CONTROL_ACTIONS } from "../protocol.js";
import { QUEUE_NAMES, type Broker } from "./broker-connection.js";
import { BrokerUnavailableError } from "./broker-errors.js";
import { RestartingReader } from "./restarting-reader.js";

const EVENT_NAME = "workgraph";
/** How long the stream is kept (entries); followers recover older events from the store. */
const MAX_EVENTS = 100_000;
/** A publish not through after this long rejects, naming the broker (it still goes out later). */
const UNAVAILABLE_AFTER_MS = 15_000;
/** The connection erring this long is reported (once, until it answers again). */
const REPORT_AFTER_MS = 5_000;
/** Errors further apart than this (the driver's retries wait up to 20 s) are separate troubles. */
const SEPARATE_AFTER_MS = 60_000;

/** A message on the bus. */
export const busMessageSchema = z.discriminatedUnion("kind", [
  /** Events `from`, `from + 1`, … of run `pk` as held by `holding`; `to` names one follower. */
  z.object({
    kind: z.literal("events"),
    pk: z.number(),
    holding: z.string(),
    from: z.number(),
    events: z.array(z.custom<EngineEvent>((v) => typeof v === "object" && v !== null)),
    to: z.string().optional(),
  }),
  z.object({ kind: z.literal("ended"), pk: z.number(), state: z.string() }),
  /** A follower asks the holder of run `pk` for its events from `from` on. */
  z.object({ kind: z.literal("replay"), pk: z.number(), from: z.number(), follower: z.string() }),
  /** Pause, play or kill run `pk`; the holder answers `control-done` when `request` is set. */
  z.object({
    kind: z.literal("control"),
    pk: z.number(),
    action: z.enum(CONTROL_ACTIONS),
    request: z.string().optional(),
  }),
  /** The holder carried out control `request` (or says why it could not). */
  z.object({ kind: z.literal("control-done"), request: z.string(), error: z.string().optional() }),
  z.object({ kind: z.literal("cancel-job"), jobId: z.string() }),
]);

/** A message on the bus. */
export type BusMessage = z.infer<typeof busMessageSchema>;

/** How a bus reports a broker out of reach, and how long a publish may wait for it. */
export interface BusOptions {
  /** Told once when the connection has erred for a while, and once when it answers again. */
  readonly log?: (text: string) => void;
  readonly unavailableAfterMs?: number;
}

/**
 * Publishes and receives the profile's bus messages. A lost connection is taken up again by
 * the driver, quietly: messages published meanwhile go out once it answers, a publish waiting
 * longer than `unavailableAfterMs` rejects with a {@link BrokerUnavailableError}, and `log`
 * hears the reason once it has lasted a few seconds.
 */
export class Bus {
  /** This process's id on the bus. */
  readonly id = randomUUID();
  readonly #producer;
  #reader: RestartingReader | undefined;
  readonly #handlers = new Set<(message: BusMessage) => void>();
  #chain: Promise<void> = Promise.resolve();
  readonly #log: ((text: string) => void) | undefined;
  readonly #unavailableAfterMs: number;
  /** The last error of a connection, and since when the connection errs; undefined when well. */
  #lastError: Error | undefined;
  #lastErrorAt = 0;
  #erringSince: number | undefined;
  #reported = false;

  constructor(
    private readonly broker: Broker,
    options: BusOptions = {},
  ) {
    this.#log = options.log;
    this.#unavailableAfterMs = options.unavailableAfterMs ?? UNAVAILABLE_AFTER_MS;
    this.#producer = new broker.classes.QueueEventsProducer(QUEUE_NAMES.bus, broker.options);
    this.#producer.on("error", (error: Error) => this.#erred(error));
  }

  /**
   * Publishes `message`; messages of one process go out in the order published. Rejects with
   * a {@link BrokerUnavailableError} when the broker has not taken it within the time allowed.
   */
  publish(message: BusMessage): Promise<void> {
    const data = JSON.stringify(message);
    const send = async (): Promise<void> => {
      await this.#producer.publishEvent({ eventName: EVENT_NAME, data }, MAX_EVENTS);
      this.#answered();
    };
    this.#chain = this.#chain.then(send, send);
    return this.#within(this.#chain);
  }

  /** `sent`, or a BrokerUnavailableError once it has waited past the time allowed. */
  #within(sent: Promise<void>): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        const detail = this.#lastError ?? new Error(`no answer for ${this.#unavailableAfterMs} ms`);
        reject(new BrokerUnavailableError(this.broker.kind, this.broker.url, detail));
      }, this.#unavailableAfterMs);
      timer.unref();
    });
    return Promise.race([sent, late]).finally(() => clearTimeout(timer));
  }

  #erred(error: Error): void {
    const now = Date.now();
    // errors far apart are separate troubles, not one that lasts
    if (now - this.#lastErrorAt > SEPARATE_AFTER_MS) this.#erringSince = now;
    this.#lastError = error;
    this.#lastErrorAt = now;
    this.#erringSince ??= now;
    if (!this.#reported && now - this.#erringSince >= REPORT_AFTER_MS) {
      this.#reported = true;
      this.#log?.(
        `bus: ${new BrokerUnavailableError(this.broker.kind, this.broker.url, error).message}; retrying`,
      );
    }
  }

  #answered(): void {
    if (this.#reported) this.#log?.("bus: the broker answers again");
    this.#lastError = undefined;
    this.#erringSince = undefined;
    this.#reported = false;
  }

  /**
   * Calls `handler` with every message published from now on; returns the unsubscribe. Resolves
   * once the bus is read, or once the broker has not answered for `unavailableAfterMs`: the
   * reader keeps trying (a {@link RestartingReader}) and `handler` hears what is published
   * once the broker answers; the outage is logged, and publishing meanwhile rejects.
   */
  async subscribe(handler: (message: BusMessage) => void): Promise<() => void> {
    this.#handlers.add(handler);
    if (this.#reader === undefined) {
      const events = new this.broker.classes.QueueEvents(QUEUE_NAMES.bus, {
        ...this.broker.options,
        lastEventId: "$",
        autorun: false,
      });
      events.on(
        EVENT_NAME as "error",
        ((args: { data?: string }, entryId: string) => {
          reader.read(entryId);
          let parsed: BusMessage;
          try {
            const result = busMessageSchema.safeParse(JSON.parse(args.data ?? "null"));
            if (!result.success) return;
            parsed = result.data;
          } catch {
            return;
          }
          for (const h of this.#handlers) h(parsed);
        }) as never,
      );
      events.on("error", (error) => this.#erred(error)); // the connection retries by itself
      const reader = new RestartingReader(events, {
        onError: (error) => this.#erred(error instanceof Error ? error : new Error(String(error))),
        onReading: () => this.#answered(),
      });
      this.#reader = reader;
    }
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, this.#unavailableAfterMs);
      timer.unref();
    });
    await Promise.race([this.#reader.ready(), late]).finally(() => clearTimeout(timer));
    return () => this.#handlers.delete(handler);
  }

  /** Waits for what was published, then closes the connections. */
  async close(): Promise<void> {
    await this.#chain.catch(() => undefined);
    await Promise.all([this.#producer.close(), this.#reader?.close()]);
  }
}
