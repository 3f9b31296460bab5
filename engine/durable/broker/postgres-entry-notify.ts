/**
 * Each entry of a stream on the PostgreSQL broker goes out in a `NOTIFY` of the stream's own:
 * a reader listening on that channel has the entry as it commits, without reading it, and hears
 * nothing of other streams. BullMQ's `publish_event` notifies one channel shared by every stream
 * (`bullmq_events`, the queue's name as payload), so every reader on the database woke for every
 * entry of every stream (each job's added, active and completed events on `jobs` included) and
 * read the table to find its own. The entry is still stored by `publish_event`, so a reader
 * that starts, or listens again after a lost connection, reads what it missed; an entry too
 * long for a notification (8,000 bytes) is announced by its id, and read.
 */
import { createHash } from "node:crypto";
import { BrokerBackendShapeError } from "./broker-errors.js";

/** The longest notification body sent; PostgreSQL refuses payloads from 8,000 bytes. */
const BODY_MAX = 7_900;

const PUBLISH_SQL = `SELECT id, pg_notify($4, CASE WHEN octet_length($5::text) <= ${BODY_MAX}
   THEN id::text || ' ' || $5::text ELSE id::text END)
 FROM publish_event($1, $2, $3::jsonb) AS id`;

/** The channel of stream `queue` in schema `schema` (a name PostgreSQL keeps whole). */
export function entryChannel(schema: string, queue: string): string {
  return `wg_${createHash("sha1").update(`${schema}\0${queue}`).digest("hex")}`;
}

/** A notification's body: the entry's event name and fields. */
export type EntryBody = [event: string, fields: Record<string, unknown>];

/** The parts of BullMQ's `PostgresQueueBackend` (6.x) this replaces or reads. */
interface PublishingBackend {
  readonly queueName: string;
  readonly schema: string;
  query(text: string, params: readonly unknown[]): Promise<{ rows: { id: string | number }[] }>;
  publishEvent(fields: Record<string, unknown>, maxEvents: number): Promise<string>;
}

/** Makes the PostgreSQL backend of a stream's producer notify each entry on its channel. */
export function notifyEachEntry(target: object): void {
  const backend = target as PublishingBackend;
  if (typeof backend.query !== "function") throw new BrokerBackendShapeError("query()");
  if (typeof backend.publishEvent !== "function") {
    throw new BrokerBackendShapeError("publishEvent()");
  }
  backend.publishEvent = async (fields) => {
    const { event, ...rest } = fields;
    const body: EntryBody = [String(event), rest];
    const { rows } = await backend.query(PUBLISH_SQL, [
      backend.queueName,
      String(event),
      JSON.stringify(rest),
      entryChannel(backend.schema, backend.queueName),
      JSON.stringify(body),
    ]);
    return String(rows[0]!.id);
  };
}
