/**
 * Each entry of a stream on the PostgreSQL broker goes out in a `NOTIFY` of the stream's own:
 * a reader listening on that channel has the entry as it commits, without reading it, and hears
 * nothing of other streams. BullMQ's `publish_event` notifies one channel shared by every stream
 * (`bullmq_events`, the queue's name as payload), so every reader on the database woke for every
 * entry of every stream (each job's added, active and completed events on `jobs` included) and
 * read the table to find its own. The entry is still stored, so a reader that starts, or
 * listens again after a lost connection, reads what it missed; an entry too long for a
 * notification (8,000 bytes) is announced by its id, and read.
 *
 * The entry goes into BullMQ's `event` table as `publish_event` puts it, in one statement with
 * its notification, without calling `publish_event`: that plpgsql function also notifies the
 * shared channel (which no reader of ours listens to, and every listening connection on the
 * database is woken by) and looks up the stream's length on every call. The stream is trimmed
 * as `publish_event` trims it, to its last `opts.maxLenEvents` entries (10,000 when unset),
 * when an entry's id is a multiple of 256, by one publisher at a time.
 */
import { createHash } from "node:crypto";
import { BrokerBackendShapeError } from "./broker-errors.js";

/** The longest notification body sent; PostgreSQL refuses payloads from 8,000 bytes. */
const BODY_MAX = 7_900;

const PUBLISH_SQL = `WITH entry AS (
  INSERT INTO event (queue, event, data, created_at_ms)
  VALUES ($1, $2, $3::jsonb, (extract(epoch FROM clock_timestamp()) * 1000)::bigint)
  RETURNING id)
SELECT id, pg_notify($4, CASE WHEN octet_length($5::text) <= ${BODY_MAX}
   THEN id::text || ' ' || $5::text ELSE id::text END)
 FROM entry`;

/** Every this many ids, the entry's publisher trims the stream (as `publish_event` does). */
const TRIM_EVERY = 256n;
const DEFAULT_MAX_LEN = 10_000;

/** Trims stream $1 to the entries after id $2 less its length; skipped while another trims. */
const TRIM_SQL = `WITH max_len AS (
  SELECT COALESCE((SELECT value::integer FROM meta
    WHERE queue = $1 AND field = 'opts.maxLenEvents'), ${DEFAULT_MAX_LEN}) AS n),
 trimmer AS (SELECT pg_try_advisory_xact_lock(hashtext('bullmq:evtrim:' || $1)) AS got)
DELETE FROM event
 WHERE queue = $1 AND (SELECT n FROM max_len) > 0
   AND id <= $2::bigint - (SELECT n FROM max_len) AND (SELECT got FROM trimmer)`;

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
  const channel = entryChannel(backend.schema, backend.queueName);
  backend.publishEvent = async (fields) => {
    const { event, ...rest } = fields;
    const body: EntryBody = [String(event), rest];
    const { rows } = await backend.query(PUBLISH_SQL, [
      backend.queueName,
      String(event),
      JSON.stringify(rest),
      channel,
      JSON.stringify(body),
    ]);
    const id = String(rows[0]!.id);
    // the entry is in: a trim that fails leaves the stream to the next one
    if (BigInt(id) % TRIM_EVERY === 0n) {
      await backend.query(TRIM_SQL, [backend.queueName, id]).catch(() => undefined);
    }
    return id;
  };
}
