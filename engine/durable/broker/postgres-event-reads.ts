/**
 * How a reader of an events stream (a sender's result stream, the bus) reads on the PostgreSQL
 * broker: it has each entry from the `NOTIFY` that carries it (`postgres-entry-notify.ts`),
 * listening on its stream's channel only, and reads the table only to catch up: when it starts
 * or listens again after a lost connection, for an entry too long to be carried, and when a
 * wait ends with nothing heard (`blockingTimeout`, 10 s).
 *
 * BullMQ's own reader read the entries past its cursor, then waited for a `NOTIFY`, and an
 * entry could go unread until that timeout in three ways, all seen with four workers answering
 * one sender (2,000 trivial jobs now and then took a second more: the sender read its jobs back
 * after 1 s of silence): ids come from one sequence and entries commit in any order, so an
 * entry whose id was taken before another's but committed after it was behind the cursor once
 * it could be read; a publisher skips BullMQ's `NOTIFY` while another publisher to the stream
 * holds a lock for its own; a `NOTIFY` between the read's answer and the wait went unheard. A
 * notification comes once its entry is committed, whatever the order of ids, and one carrying
 * the entry is never skipped. The table is read with a cursor that trails: the entries had in
 * the last {@link TRAIL_MS} are read past again and left out by id (so a late entry is read,
 * and an entry both read and heard is given once); a full page, read from a backlog, moves the
 * cursor past it at once.
 */
import { BrokerBackendShapeError } from "./broker-errors.js";
import { entryChannel, type EntryBody } from "./postgres-entry-notify.js";

/** How long an entry had keeps the cursor at or before it: an entry later in commit is read. */
const TRAIL_MS = 250;
/** Entries read at once (BullMQ's page). */
const PAGE = 100;

const READ_SQL = `SELECT id, event, data FROM event
 WHERE queue = $1 AND id > $2 AND id <> ALL($3::bigint[])
 ORDER BY id ASC LIMIT $4`;

interface Notification {
  readonly channel: string;
  readonly payload?: string | undefined;
}

interface ListenClient {
  on(event: "notification", listener: (message: Notification) => void): unknown;
  query(text: string): Promise<unknown>;
}

interface EventRow {
  readonly id: string | number;
  readonly event: string;
  readonly data: Record<string, unknown> | null;
}

/** An entry as the backend gives it to QueueEvents (a Redis stream entry's shape). */
interface Entry {
  readonly id: string;
  readonly fields: string[];
}

/** The parts of BullMQ's `PostgresQueueBackend` (6.x) this replaces or reads. */
interface EventsBackend {
  readonly queueName: string;
  readonly schema: string;
  readonly closing?: unknown;
  listeningEvents: boolean;
  readonly connection: { readonly isClosing?: boolean; getListenClient(): Promise<ListenClient> };
  cancelEventWait?: (() => void) | undefined;
  ensureListeningEvents(): Promise<ListenClient>;
  query(text: string, params: readonly unknown[]): Promise<{ rows: EventRow[] }>;
  fetchEvents(cursor: string): Promise<Entry[]>;
  waitForEvent(blockTimeout: number): Promise<void>;
}

function entryOf(id: string, event: string, data: Record<string, unknown> | null): Entry {
  const fields = ["event", event];
  for (const [key, value] of Object.entries(data ?? {})) {
    fields.push(key, typeof value === "string" ? value : String(value));
  }
  return { id, fields };
}

/** Makes the PostgreSQL backend of an events reader read every entry (above). */
export function readEveryEvent(target: object): void {
  const backend = target as EventsBackend;
  if (typeof backend.ensureListeningEvents !== "function") {
    throw new BrokerBackendShapeError("ensureListeningEvents()");
  }
  if (typeof backend.fetchEvents !== "function") throw new BrokerBackendShapeError("fetchEvents()");
  if (typeof backend.query !== "function") throw new BrokerBackendShapeError("query()");
  if (typeof backend.connection.getListenClient !== "function") {
    throw new BrokerBackendShapeError("connection.getListenClient()");
  }
  const channel = entryChannel(backend.schema, backend.queueName);
  /** Every entry up to this id was had, or is older than the trail. */
  let floor: bigint | undefined;
  /** Entries had past the floor, in the order had, and when; their ids. */
  const trailing: { readonly id: bigint; readonly at: number }[] = [];
  const recent = new Set<string>();
  /** Entries heard, not yet given; whether the table must be read before more are given. */
  const heard: Entry[] = [];
  let mustRead = true;
  /** The connection our listener is on; a notification since the last read began. */
  let heardOn: ListenClient | undefined;
  let notified = false;
  let wake: (() => void) | undefined;

  const had = (id: string, at: number): void => {
    trailing.push({ id: BigInt(id), at });
    recent.add(id);
  };

  backend.ensureListeningEvents = async () => {
    const client = await backend.connection.getListenClient();
    if (!backend.listeningEvents) {
      await client.query(`LISTEN "${channel}"`);
      backend.listeningEvents = true;
    }
    return client;
  };

  backend.fetchEvents = async (cursor: string): Promise<Entry[]> => {
    notified = false;
    // the reader's own cursor counts once, at its start: after that it may name an entry that
    // came late, before others had since, and the trail already covers a loop started again
    floor ??= BigInt(cursor);
    const now = Date.now();
    while (trailing.length > 0 && trailing[0]!.at <= now - TRAIL_MS) {
      const { id } = trailing.shift()!;
      recent.delete(id.toString());
      if (id > floor) floor = id;
    }
    if (!mustRead) {
      const given: Entry[] = [];
      for (const entry of heard.splice(0)) {
        if (BigInt(entry.id) <= floor || recent.has(entry.id)) continue;
        had(entry.id, now);
        given.push(entry);
      }
      return given;
    }
    // what was heard so far is committed, so the read has it
    mustRead = false;
    heard.length = 0;
    const after = floor;
    const skip = [...recent].filter((id) => BigInt(id) > after);
    const { rows } = await backend.query(READ_SQL, [
      backend.queueName,
      after.toString(),
      skip,
      PAGE,
    ]);
    const read = Date.now();
    // a full page is a backlog read from its start (a reader new to a long stream): the next
    // page goes on after it, and only the entries read at the stream's end trail
    const backlog = rows.length === PAGE;
    if (backlog) {
      floor = BigInt(rows[PAGE - 1]!.id);
      mustRead = true;
    }
    return rows.map((row) => {
      if (!backlog) had(String(row.id), read);
      return entryOf(String(row.id), row.event, row.data);
    });
  };

  backend.waitForEvent = async (blockTimeout: number): Promise<void> => {
    if (backend.closing || backend.connection.isClosing) return;
    // a listener new to this connection: what was published before it is unknown, read again
    const fresh = !backend.listeningEvents;
    const client = await backend.ensureListeningEvents();
    if (client !== heardOn) {
      heardOn = client;
      client.on("notification", (message) => {
        if (client !== heardOn || message.channel !== channel) return;
        const payload = message.payload ?? "";
        const space = payload.indexOf(" ");
        try {
          if (space < 0) throw new Error("an entry too long to carry: read it");
          const [event, data] = JSON.parse(payload.slice(space + 1)) as EntryBody;
          heard.push(entryOf(payload.slice(0, space), event, data));
        } catch {
          mustRead = true;
        }
        notified = true;
        wake?.();
      });
    }
    if (fresh) mustRead = true;
    if (fresh || notified || mustRead || heard.length > 0) return;
    await new Promise<void>((resolve) => {
      const finish = (): void => {
        clearTimeout(timer);
        wake = undefined;
        backend.cancelEventWait = undefined;
        resolve();
      };
      const timer = setTimeout(
        () => {
          // nothing heard for the whole wait: read, in case
          mustRead = true;
          finish();
        },
        Math.max(blockTimeout || 5_000, 1),
      );
      wake = finish;
      backend.cancelEventWait = finish;
    });
  };
}
