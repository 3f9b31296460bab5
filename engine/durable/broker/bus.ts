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

const EVENT_NAME = "workgraph";
/** How long the stream is kept (entries); followers recover older events from the store. */
const MAX_EVENTS = 100_000;

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

/** Publishes and receives the profile's bus messages. */
export class Bus {
  /** This process's id on the bus. */
  readonly id = randomUUID();
  readonly #producer;
  #events: { close(): Promise<void> } | undefined;
  readonly #handlers = new Set<(message: BusMessage) => void>();
  #chain: Promise<void> = Promise.resolve();

  constructor(private readonly broker: Broker) {
    this.#producer = new broker.classes.QueueEventsProducer(QUEUE_NAMES.bus, broker.options);
  }

  /** Publishes `message`; messages of one process go out in the order published. */
  publish(message: BusMessage): Promise<void> {
    const data = JSON.stringify(message);
    this.#chain = this.#chain.then(
      () => this.#producer.publishEvent({ eventName: EVENT_NAME, data }, MAX_EVENTS),
      () => this.#producer.publishEvent({ eventName: EVENT_NAME, data }, MAX_EVENTS),
    );
    return this.#chain;
  }

  /** Calls `handler` with every message published from now on; returns the unsubscribe. */
  async subscribe(handler: (message: BusMessage) => void): Promise<() => void> {
    this.#handlers.add(handler);
    if (this.#events === undefined) {
      const events = new this.broker.classes.QueueEvents(QUEUE_NAMES.bus, {
        ...this.broker.options,
        lastEventId: "$",
      });
      this.#events = events;
      events.on(
        EVENT_NAME as "error",
        ((args: { data?: string }) => {
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
      events.on("error", () => undefined); // the connection retries by itself
      await events.waitUntilReady();
    }
    return () => this.#handlers.delete(handler);
  }

  /** Waits for what was published, then closes the connections. */
  async close(): Promise<void> {
    await this.#chain.catch(() => undefined);
    await Promise.all([this.#producer.close(), this.#events?.close()]);
  }
}
