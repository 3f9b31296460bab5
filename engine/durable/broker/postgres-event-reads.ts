/**
 * How a reader of an events stream (a sender's result stream, the bus) reads on the PostgreSQL
 * broker: it misses no entry. BullMQ's PostgreSQL backend reads the entries whose ids are past
 * its cursor, then waits for a `NOTIFY`, and an entry could go unread until the wait's timeout
 * (`blockingTimeout`, 10 s) in three ways, all seen with four workers answering one sender
 * (2,000 trivial jobs now and then took a second more: the sender read its jobs back after 1 s
 * of silence):
 * - ids come from one sequence and entries commit in any order: an entry whose id was taken
 *   before another's but committed after it was behind the cursor once it could be read;
 * - a publisher skips its `NOTIFY` while another publisher to the same stream holds a lock for
 *   its own, which may have been sent before the skipped entry committed;
 * - a `NOTIFY` between the read's answer and the start of the wait was not heard.
 * So the cursor trails: the entries read in the last {@link TRAIL_MS} are read past again and
 * left out by id (a full page, read from a backlog, moves the cursor past it at once), and
 * while there are such, a wait lasts at most {@link POLL_MS}; a listener
 * that stays on the connection notes each `NOTIFY` for the stream, and one heard since the
 * last read began ends the next wait at once.
 */

/** How long an entry read keeps the cursor at or before it: an entry later in commit is read. */
const TRAIL_MS = 250;
/** How long a wait lasts while entries are trailing, for one whose `NOTIFY` was skipped. */
const POLL_MS = 20;
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
  readonly closing?: unknown;
  readonly listeningEvents: boolean;
  readonly connection: { readonly isClosing?: boolean };
  cancelEventWait?: (() => void) | undefined;
  ensureListeningEvents(): Promise<ListenClient>;
  query(text: string, params: readonly unknown[]): Promise<{ rows: EventRow[] }>;
  fetchEvents(cursor: string): Promise<Entry[]>;
  waitForEvent(blockTimeout: number): Promise<void>;
}

/** Makes the PostgreSQL backend of an events reader read every entry (above). */
export function readEveryEvent(target: object): void {
  const backend = target as EventsBackend;
  const channel = (target.constructor as { EVENTS_CHANNEL?: string }).EVENTS_CHANNEL;
  if (
    channel === undefined ||
    typeof backend.ensureListeningEvents !== "function" ||
    typeof backend.fetchEvents !== "function" ||
    typeof backend.query !== "function"
  ) {
    return; // another BullMQ than this was written against: its own reads stay
  }
  /** Every entry up to this id was read, or is older than the trail. */
  let floor: bigint | undefined;
  /** Entries read past the floor, in the order read, and when. */
  const trailing: { readonly id: bigint; readonly at: number }[] = [];
  /** The connection our listener is on; a `NOTIFY` heard since the last read began. */
  let heardOn: ListenClient | undefined;
  let notified = false;
  let wake: (() => void) | undefined;

  backend.fetchEvents = async (cursor: string): Promise<Entry[]> => {
    notified = false;
    // the reader's own cursor counts once, at its start: after that it may name an entry that
    // came late, before others read since, and the trail already covers a loop started again
    floor ??= BigInt(cursor);
    const now = Date.now();
    while (trailing.length > 0 && trailing[0]!.at <= now - TRAIL_MS) {
      const { id } = trailing.shift()!;
      if (id > floor) floor = id;
    }
    const after = floor;
    const skip = trailing.filter(({ id }) => id > after).map(({ id }) => id.toString());
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
    if (backlog) floor = BigInt(rows[PAGE - 1]!.id);
    return rows.map((row) => {
      if (!backlog) trailing.push({ id: BigInt(row.id), at: read });
      const fields = ["event", row.event];
      for (const [key, value] of Object.entries(row.data ?? {})) {
        fields.push(key, typeof value === "string" ? value : String(value));
      }
      return { id: String(row.id), fields };
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
        if (client !== heardOn) return;
        if (message.channel !== channel || message.payload !== backend.queueName) return;
        notified = true;
        wake?.();
      });
    }
    if (fresh || notified) return;
    const longest = Math.max(blockTimeout || 5_000, 1);
    await new Promise<void>((resolve) => {
      const finish = (): void => {
        clearTimeout(timer);
        wake = undefined;
        backend.cancelEventWait = undefined;
        resolve();
      };
      const timer = setTimeout(finish, trailing.length > 0 ? Math.min(POLL_MS, longest) : longest);
      wake = finish;
      backend.cancelEventWait = finish;
    });
  };
}
