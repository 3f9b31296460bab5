/**
 * A profile's broker: BullMQ on Redis (`redis://…`) or on PostgreSQL (`postgresql://…`, BullMQ's
 * PostgreSQL backend, so a profile whose broker is its storage needs one service only). Gives
 * the BullMQ classes bound to that backend, the connection options and the three queue names.
 */
import {
  Queue,
  QueueEvents,
  QueueEventsProducer,
  Worker,
  createPostgresBackend,
  withBackend,
  type ConnectionOptions,
  type KeyPrefixOptions,
  type QueueBaseOptions,
} from "bullmq";
import { z } from "zod";
import { maskUrl } from "../../store/postgres/connection-url.js";
import { BrokerUrlError } from "./broker-errors.js";
import { notifyEachEntry } from "./postgres-entry-notify.js";
import { readEveryEvent } from "./postgres-event-reads.js";
import { nameStatements } from "./postgres-named-statements.js";
import { waitOnNotifiesOnly } from "./postgres-job-waits.js";

/** Where a broker lives: its URL and the namespace of this profile's queues in it. */
export interface BrokerOptions {
  /**
   * `redis://[user:password@]host:port[/db][?prefix=NAME]` or `postgresql://…[?prefix=NAME]`;
   * `prefix` in the URL names the namespace, as {@link BrokerOptions.prefix} does.
   */
  readonly url: string;
  /**
   * Keeps apart the queues of profiles (and tests) sharing one service: the key prefix on
   * Redis (default `workgraph`), the schema on PostgreSQL (default `<store schema>_broker`,
   * or `workgraph_broker`: BullMQ's tables must not share the store's schema, as both have a
   * `meta` table). Overrides a `prefix` in the URL.
   */
  readonly prefix?: string;
}

/** The queues of one profile on its broker. */
export const QUEUE_NAMES = { runs: "runs", jobs: "jobs", bus: "bus" } as const;

const prefixSchema = z.string().regex(/^[a-z_][a-z0-9_]{0,62}$/i, "letters, digits and _ only");

type Classes = {
  readonly Queue: typeof Queue;
  readonly Worker: typeof Worker;
  readonly QueueEvents: typeof QueueEvents;
  readonly QueueEventsProducer: typeof QueueEventsProducer;
};

/** A broker's BullMQ classes and the options every queue object of the profile takes. */
export interface Broker {
  readonly kind: "redis" | "postgresql";
  readonly url: string;
  readonly prefix: string;
  readonly classes: Classes;
  /** `connection` (and `prefix` on Redis) for a Queue, Worker or QueueEvents. */
  readonly options: QueueBaseOptions & KeyPrefixOptions;
}

/**
 * BullMQ's PostgreSQL backend, except that a queue object whose first connection failed tries
 * again on its next use. BullMQ keeps the first readiness check of an object (its connection's
 * bootstrap, and the backend's check on top of it) for good, even a failed one: an object
 * first used while the server is out of reach never reaches it again, though its pool would.
 * Such an object is made on demand mid-run (a worker's result producer for a sender it has not
 * answered yet); its job then waited for ever on a result it could never publish. Redis has no
 * such gap: ioredis reconnects an object that never connected. A stream's entries go out in
 * notifications of their own (`postgres-entry-notify.ts`), and a reader misses none
 * (`postgres-event-reads.ts`); a worker on `jobs` waits on notifications only
 * (`postgres-job-waits.ts`); every statement goes named, planned once per connection
 * (`postgres-named-statements.ts`).
 */
const postgresBackend: typeof createPostgresBackend = (name, opts, factoryOptions) => {
  const backend = createPostgresBackend(name, opts, factoryOptions);
  forgetFailedReadiness(backend.connection);
  forgetFailedReadiness(backend);
  nameStatements(backend);
  if (name === QUEUE_NAMES.jobs && factoryOptions?.withBlockingConnection === true) {
    waitOnNotifiesOnly(backend);
  }
  if (factoryOptions?.blocking === true) readEveryEvent(backend);
  else if (factoryOptions?.withBlockingConnection !== true) notifyEachEntry(backend);
  return backend;
};

/** Makes `waitUntilReady` drop a failed attempt (BullMQ's `readyPromise`) instead of keeping it. */
function forgetFailedReadiness(target: object): void {
  const memo = target as {
    waitUntilReady(): Promise<void>;
    readyPromise?: Promise<void> | undefined;
  };
  const waitUntilReady = memo.waitUntilReady.bind(memo);
  memo.waitUntilReady = () => {
    const ready = waitUntilReady();
    // set before waitUntilReady's first await: the attempt every caller shares
    const attempt = memo.readyPromise;
    attempt?.catch(() => {
      if (memo.readyPromise === attempt) memo.readyPromise = undefined;
    });
    return ready;
  };
}

/** Reads a broker URL; throws a {@link BrokerUrlError} naming what is wrong. */
export function openBroker(options: BrokerOptions): Broker {
  let url: URL;
  try {
    url = new URL(options.url);
  } catch {
    throw new BrokerUrlError(maskUrl(options.url), "not a URL");
  }
  const postgres = url.protocol === "postgresql:" || url.protocol === "postgres:";
  const storeSchema = url.searchParams.get("schema");
  const prefix =
    options.prefix ??
    url.searchParams.get("prefix") ??
    (postgres ? `${storeSchema ?? "workgraph"}_broker` : "workgraph");
  // the namespace is ours, not the driver's
  url.searchParams.delete("prefix");
  url.searchParams.delete("schema");
  const parsedPrefix = prefixSchema.safeParse(prefix);
  if (!parsedPrefix.success)
    throw new BrokerUrlError(prefix, "a broker prefix has letters, digits and _ only");
  if (url.protocol === "redis:" || url.protocol === "rediss:") {
    const connection: ConnectionOptions = {
      host: url.hostname || "127.0.0.1",
      port: url.port === "" ? 6379 : Number(url.port),
      ...(url.username !== "" ? { username: decodeURIComponent(url.username) } : {}),
      ...(url.password !== "" ? { password: decodeURIComponent(url.password) } : {}),
      ...(url.pathname.length > 1 ? { db: Number(url.pathname.slice(1)) } : {}),
      ...(url.protocol === "rediss:" ? { tls: {} } : {}),
    };
    return {
      kind: "redis",
      url: options.url,
      prefix,
      classes: { Queue, Worker, QueueEvents, QueueEventsProducer },
      options: { connection, prefix },
    };
  }
  if (postgres) {
    // BullMQ's PostgreSQL backend keeps a profile's queues in a schema of their own. Its
    // transactions commit without waiting for the WAL to reach the disk: a job moves through
    // three or four commits, each a disk flush of ~10 ms here otherwise, and what a server
    // crash could take back (a job added, completed or answered in its last moments) is what
    // at-least-once delivery and the executor's read-backs already cover. The store's own
    // connections keep waiting for the disk.
    const bound = withBackend(postgresBackend);
    return {
      kind: "postgresql",
      url: options.url,
      prefix,
      classes: bound as unknown as Classes,
      options: {
        connection: {
          connectionString: url.toString(),
          schema: prefix,
          migrate: true,
          options: "-c synchronous_commit=off",
        },
      },
    };
  }
  throw new BrokerUrlError(
    maskUrl(options.url),
    "a broker URL starts with redis:// or postgresql://",
  );
}
