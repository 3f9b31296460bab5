/**
 * The writer thread of this process's SQLite store files: for each store it owns the
 * connection that writes, so inserting the rows runs beside the engine (on another core)
 * instead of between its turns. One thread serves every store of the process (starting one
 * takes ~50-100 ms, more than a small run), each over its own connection.
 *
 * A store's batches come in order; those that queued up behind each other go in as one
 * `BEGIN IMMEDIATE` transaction, so when batches come faster than they are written, each
 * commit carries more rows. While another process holds a file's write lock past a short wait,
 * that store's batches stay here and the thread retries, backing off, telling the store each
 * time (it decides when runs are told). A batch SQLite refuses is rolled back with those merged
 * with it, and the store hears why.
 */
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { receiveMessageOnPort, workerData, type MessagePort } from "node:worker_threads";
import Database from "better-sqlite3";
import { tuneConnection } from "./open-database.js";
import { BatchWriter } from "./write-batch.js";
import { isBusy } from "./busy.js";
import { TURN_WAIT_MS } from "./write-group.js";
import type { WriterReply, WriterRequest } from "./writer-protocol.js";

const FIRST_RETRY_MS = 10;
/** How long the thread is idle after writing before it collects its garbage. */
const IDLE_COLLECT_MS = 200;
const LAST_RETRY_MS = 250;

const { port, signal } = workerData as { port: MessagePort; signal: Int32Array };

type WriteRequest = Extract<WriterRequest, { op: "write" }>;

function reply(message: WriterReply): void {
  port.postMessage(message);
  // Wakes the store's thread if it is blocked waiting for an answer.
  Atomics.add(signal, 0, 1);
  Atomics.notify(signal, 0);
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** One store's connection and the requests it has not served yet. */
class StoreWriter {
  readonly #db: Database.Database;
  readonly #writer: BatchWriter;
  readonly #begin: Database.Statement;
  readonly #commit: Database.Statement;
  readonly #rollback: Database.Statement;
  readonly #waiting: WriterRequest[] = [];
  #busySince: number | undefined;
  #retry: NodeJS.Timeout | undefined;
  #retryMs = FIRST_RETRY_MS;
  #lockWaitMs = TURN_WAIT_MS;
  readonly #serve = (): void => void this.serve();

  constructor(
    readonly id: number,
    file: string,
  ) {
    this.#db = new Database(file, { fileMustExist: true });
    tuneConnection(this.#db);
    this.#db.pragma(`busy_timeout = ${TURN_WAIT_MS}`);
    // A refused row ends the transaction: the group is rolled back whole anyway (#writeHead).
    this.#writer = new BatchWriter(this.#db, "ROLLBACK");
    this.#begin = this.#db.prepare("BEGIN IMMEDIATE");
    this.#commit = this.#db.prepare("COMMIT");
    this.#rollback = this.#db.prepare("ROLLBACK");
  }

  add(request: WriterRequest): void {
    this.#waiting.push(request);
  }

  /** Serves what waits, in order; false once the store is closed. */
  serve(): boolean {
    if (this.#retry !== undefined) clearTimeout(this.#retry);
    this.#retry = undefined;
    while (this.#waiting.length > 0) {
      const head = this.#waiting[0] as WriterRequest;
      if (head.op === "close") {
        this.#waiting.length = 0;
        this.#db.close();
        reply({ kind: "result", store: this.id, id: head.id });
        return false;
      }
      if (head.op === "open") {
        this.#waiting.shift();
        continue;
      }
      if (!this.#writeHead()) {
        this.#retry = setTimeout(this.#serve, this.#retryMs);
        this.#retryMs = Math.min(this.#retryMs * 2, LAST_RETRY_MS);
        return true;
      }
      this.#retryMs = FIRST_RETRY_MS;
    }
    return true;
  }

  /** Writes the batches at the head of the queue in one transaction; false when locked out. */
  #writeHead(): boolean {
    let count = 0;
    let wait = TURN_WAIT_MS;
    for (let next = this.#waiting[0]; next?.op === "write"; next = this.#waiting[++count]) {
      wait = Math.max(wait, next.lockWaitMs);
    }
    this.#setLockWait(wait);
    try {
      this.#begin.run();
    } catch (error) {
      if (!isBusy(error)) throw error;
      this.#busySince ??= Date.now();
      reply({ kind: "busy", store: this.id, since: this.#busySince });
      return false;
    } finally {
      this.#setLockWait(TURN_WAIT_MS);
    }
    const batches = this.#waiting.splice(0, count) as WriteRequest[];
    const seq = (batches[count - 1] as WriteRequest).seq;
    try {
      for (const each of batches) this.#writer.write(each.batch);
      this.#commit.run();
      this.#busySince = undefined;
      reply({ kind: "written", store: this.id, seq });
    } catch (error) {
      // All of them or none: a half-written group must not be committed later.
      if (this.#db.inTransaction) this.#rollback.run();
      reply({ kind: "write-failed", store: this.id, seq, message: describe(error) });
    } finally {
      this.#writer.forget();
    }
    return true;
  }

  #setLockWait(ms: number): void {
    if (ms === this.#lockWaitMs) return;
    this.#db.pragma(`busy_timeout = ${ms}`);
    this.#lockWaitMs = ms;
  }
}

const stores = new Map<number, StoreWriter>();
/** Whether batches were written since the heap was last collected. */
let wroteSinceCollect = false;

function receive(request: WriterRequest, touched: Set<StoreWriter>): void {
  if (request.op === "open") {
    try {
      stores.set(request.store, new StoreWriter(request.store, request.file));
      reply({ kind: "result", store: request.store, id: request.id });
    } catch (error) {
      reply({ kind: "failed", store: request.store, id: request.id, message: describe(error) });
    }
    return;
  }
  const store = stores.get(request.store);
  if (store === undefined) {
    if (request.op === "close") reply({ kind: "result", store: request.store, id: request.id });
    return;
  }
  store.add(request);
  touched.add(store);
  if (request.op === "write") wroteSinceCollect = true;
}

/**
 * The thread's full garbage collection. A batch arrives as a copy (every value a fresh object
 * here) and leaves packed uuids behind, so a big run leaves this heap tens of MB of garbage
 * that V8 would keep (and grow into) until some later allocation made it collect: the
 * process's memory would stay up after the run. `gc` is exposed only long enough to take it.
 */
const collect = ((): (() => void) => {
  setFlagsFromString("--expose-gc");
  try {
    return runInNewContext("gc") as () => void;
  } finally {
    setFlagsFromString("--no-expose-gc");
  }
})();

let idle: NodeJS.Timeout | undefined;
const collectIdle = (): void => {
  idle = undefined;
  wroteSinceCollect = false;
  collect();
};

port.on("message", (first: WriterRequest) => {
  const touched = new Set<StoreWriter>();
  receive(first, touched);
  // Whatever else is already here joins the same transactions.
  for (
    let more = receiveMessageOnPort(port);
    more !== undefined;
    more = receiveMessageOnPort(port)
  ) {
    receive(more.message as WriterRequest, touched);
  }
  let closed = false;
  for (const store of touched) {
    try {
      if (!store.serve()) {
        stores.delete(store.id);
        closed = true;
      }
    } catch (error) {
      reply({ kind: "write-failed", store: store.id, seq: 0, message: describe(error) });
    }
  }
  if (!wroteSinceCollect) return;
  // A store closed (its run is over), or the thread idle for a moment after writing (a run
  // ended, the store kept open): the garbage its rows left is given back now.
  if (idle !== undefined) clearTimeout(idle);
  if (closed) collectIdle();
  else idle = setTimeout(collectIdle, IDLE_COLLECT_MS);
});
