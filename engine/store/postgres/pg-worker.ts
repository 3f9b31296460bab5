/**
 * The PostgreSQL thread of a store. It serves requests one at a time, in the order they were
 * posted, over its one connection. A write the server could not take (connection lost,
 * server restarting) is retried, backing off, until it goes in; requests behind it wait, and
 * the store's thread hears that the server is down.
 */
import { workerData, type MessagePort } from "node:worker_threads";
import { setTimeout as sleep } from "node:timers/promises";
import type pg from "pg";
import { PgConnection, isConnectionError, wireError } from "./pg-connection.js";
import { migrate } from "./pg-migrate.js";
import { killOrphanedRuns } from "./pg-orphans.js";
import type { OpenRequest, ReadQueries, Reply, Request, WriteBatch } from "./pg-protocol.js";
import { undoRows } from "./pg-undo.js";
import { reads } from "./pg-reads.js";
import { applyBatch, mergeBatches } from "./pg-writes.js";

const FIRST_RETRY_MS = 10;
const LAST_RETRY_MS = 1_000;

const { port, signal } = workerData as { port: MessagePort; signal: Int32Array };

let connection: PgConnection | undefined;
let writer = "";
/** Requests not yet served, in order; one loop serves them. */
const waiting: Request[] = [];
let serving = false;

function reply(message: Reply): void {
  port.postMessage(message);
  // Wakes the store's thread if it is blocked waiting for an answer.
  Atomics.add(signal, 0, 1);
  Atomics.notify(signal, 0);
}

async function open(request: OpenRequest): Promise<unknown> {
  connection = new PgConnection(request.connectionString, request.schema);
  writer = request.writer;
  const client = await connection.client();
  const refused = await migrate(client, request.schema, request.shown);
  if (refused !== undefined) throw Object.assign(new Error(refused), { refused: true });
  return { killedOnOpen: await killOrphanedRuns(client, request.host) };
}

function current(): PgConnection {
  if (connection === undefined) throw new Error("the store is not open");
  return connection;
}

/** Runs `work` on a connection, reconnecting and retrying while the server is out of reach. */
async function withRetry<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  let since: number | undefined;
  let wait = FIRST_RETRY_MS;
  for (;;) {
    try {
      const result = await work(await current().client());
      if (since !== undefined) reply({ kind: "up" });
      return result;
    } catch (error) {
      if (!isConnectionError(error) || connection === undefined) throw error;
      current().drop();
      since ??= Date.now();
      reply({ kind: "down", since, error: wireError(error) });
      await sleep(wait);
      wait = Math.min(wait * 2, LAST_RETRY_MS);
    }
  }
}

/**
 * Applies writes that queued up behind each other as one transaction: when batches come faster
 * than the server takes them, each transaction carries more rows instead of the queue growing.
 */
async function write(batches: readonly WriteBatch[]): Promise<void> {
  const merged = mergeBatches(batches);
  let attempt = 0;
  try {
    // Only a batch sent again after a lost connection may have been applied already.
    await withRetry((client) => applyBatch(client, writer, merged, attempt++ > 0));
    reply({ kind: "written", seq: merged.seq });
  } catch (error) {
    reply({ kind: "write-failed", seq: merged.seq, error: wireError(error) });
  }
}

async function reserve(count: number): Promise<number> {
  return withRetry(async (client) => {
    const found = await client.query<{ first: number }>(
      "UPDATE pk_counter SET next = next + $1 RETURNING next - $1 AS first",
      [count],
    );
    return (found.rows[0] as { first: number }).first;
  });
}

async function read(query: keyof ReadQueries, args: readonly unknown[]): Promise<unknown> {
  const run = reads[query] as (client: pg.Client, ...rest: unknown[]) => Promise<unknown>;
  return withRetry((client) => run(client, ...args));
}

async function serve(request: Request): Promise<void> {
  if (request.op === "write") return write([request.batch]);
  try {
    let value: unknown;
    if (request.op === "open") value = await open(request.open);
    else if (request.op === "pks") value = await reserve(request.count);
    else if (request.op === "read") value = await read(request.query, request.args);
    else if (request.op === "undo") await withRetry((client) => undoRows(client, request.rows));
    else if (request.op === "close") {
      await connection
        ?.client()
        .then((c) => c.query("DELETE FROM write_batches WHERE writer = $1", [writer]))
        .catch(() => {});
      await connection?.close();
      connection = undefined;
    }
    reply({ kind: "result", id: request.id, value });
  } catch (error) {
    const refused = (error as { refused?: boolean }).refused === true;
    const wire = wireError(error);
    reply({
      kind: "failed",
      id: request.id,
      error: refused ? { ...wire, connection: false } : wire,
    });
  }
}

async function serveWaiting(): Promise<void> {
  serving = true;
  for (let next = waiting.shift(); next !== undefined; next = waiting.shift()) {
    if (next.op !== "write") {
      await serve(next);
      continue;
    }
    const batches = [next.batch];
    while (waiting[0]?.op === "write")
      batches.push((waiting.shift() as { batch: WriteBatch }).batch);
    await write(batches);
  }
  serving = false;
}

port.on("message", (request: Request) => {
  waiting.push(request);
  if (!serving) void serveWaiting();
});
