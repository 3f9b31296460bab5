/**
 * The store side of the process's SQLite writer thread (sqlite-writer.ts): started by the
 * first store file opened, then kept (unreferenced: it never keeps the process alive) for
 * every store after it, since starting a thread costs more than a small run. Replies are
 * handed to the store they name.
 */
import { CallTimeout, WorkerChannel } from "../postgres/worker-channel.js";
import type { WriterReply, WriterRequest } from "./writer-protocol.js";

/** What a store hears from the thread: its replies, and the thread's end. */
export interface WriterClient {
  hear(reply: WriterReply): void;
  ended(error: Error): void;
}

// Module state on purpose: one thread for the process, whatever the number of stores.
let channel: WorkerChannel<WriterRequest, WriterReply> | undefined;
const clients = new Map<number, WriterClient>();
let nextStore = 1;

/** The writer thread's young generation, in MB (V8's default lets it grow to 48). */
const YOUNG_GENERATION_MB = 12;

function thread(): WorkerChannel<WriterRequest, WriterReply> {
  channel ??= new WorkerChannel<WriterRequest, WriterReply>(
    (reply) => clients.get(reply.store)?.hear(reply),
    "../sqlite/sqlite-writer",
    {},
    (error) => {
      channel = undefined;
      for (const client of [...clients.values()]) client.ended(error);
      clients.clear();
    },
    // Its young generation stays small: V8 would grow it to 32 MB and keep it all committed
    // once the run is over, and a batch's values die young anyway.
    { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB },
  );
  return channel;
}

/** One store's line to the writer thread. */
export class WriterLine {
  readonly store = nextStore++;
  readonly #channel: WorkerChannel<WriterRequest, WriterReply>;

  /**
   * Opens a connection to `file` in the thread (started if it is not), waiting for it up to
   * `ms`: from then on a batch posted is written within moments, so a process killed loses
   * no more than it would writing on its own thread. Throws why it could not.
   */
  constructor(file: string, client: WriterClient, ms: number) {
    this.#channel = thread();
    clients.set(this.store, client);
    let answer;
    try {
      answer = this.#channel.call(
        { op: "open", store: this.store, id: this.#channel.id(), file },
        ms,
      );
    } catch (error) {
      clients.delete(this.store);
      if (error instanceof CallTimeout)
        throw new Error(`its writer thread did not start in ${ms} ms`);
      throw error;
    }
    if (answer.kind === "failed") {
      clients.delete(this.store);
      throw new Error(`its writer thread could not open it: ${answer.message}`);
    }
  }

  /** Posts a request without waiting (`transfer`: buffers moved to the thread, not copied). */
  post(request: WriterRequest, transfer?: readonly ArrayBuffer[]): void {
    this.#channel.post(request, transfer);
  }

  /** Blocks until `done()` or `ms`, handing the thread's messages on; whether done. */
  waitUntil(done: () => boolean, ms: number): boolean {
    return this.#channel.waitUntil(done, ms);
  }

  /** Closes the store's connection (after its writes), waiting up to `ms`. */
  close(ms: number): void {
    try {
      this.#channel.call({ op: "close", store: this.store, id: this.#channel.id() }, ms);
    } catch {
      // The thread's connection closes with the process anyway.
    } finally {
      clients.delete(this.store);
    }
  }
}
