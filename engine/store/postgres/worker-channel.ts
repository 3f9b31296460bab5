/**
 * The store's side of its thread (PostgreSQL's pg-worker.ts, SQLite's sqlite-writer.ts):
 * requests posted without waiting (writes), and requests waited for synchronously (reads,
 * opening, pk blocks), the thread blocked with `Atomics.wait` until the answer comes. Both
 * travel over one port, so the thread serves them in the order they were made. The thread gets
 * `{ port, signal, ...data }` as its `workerData` and bumps `signal` after each message it
 * posts, which wakes a blocked caller.
 *
 * Why not synckit: it blocks on every call, while writes here must not wait, and a read must
 * come after the writes posted before it on the same ordered channel.
 */
import {
  MessageChannel,
  receiveMessageOnPort,
  type MessagePort,
  type ResourceLimits,
  type Worker,
} from "node:worker_threads";
import { startThread } from "../start-thread.js";
import type { Reply, Request } from "./pg-protocol.js";

/** A request with an answer to wait for: every kind but writes. */
export type CallRequest = Exclude<Request, { op: "write" }>;

/** An answer that did not come in time. */
export class CallTimeout extends Error {
  override name = "CallTimeout";
}

/** A message from the thread: an answer to a call carries the call's id. */
interface ThreadReply {
  readonly kind: string;
  readonly id?: number;
}

/** The thread's answer to a call. */
export type Answer<Rep extends ThreadReply> = Extract<Rep, { kind: "result" | "failed" }>;

function isAnswer<Rep extends ThreadReply>(reply: Rep): reply is Answer<Rep> {
  return reply.kind === "result" || reply.kind === "failed";
}

/** A thread serving one store's requests, in order (by default the PostgreSQL thread). */
export class WorkerChannel<Req = Request, Rep extends ThreadReply = Reply> {
  readonly #worker: Worker;
  readonly #port: MessagePort;
  readonly #signal = new Int32Array(new SharedArrayBuffer(4));
  #nextId = 1;

  /**
   * Starts the thread `worker` (its module's path from this folder, without extension, with
   * `data` in its `workerData`); `onMessage` hears every message that is not an awaited answer,
   * `onExit` the thread's end (an error it threw, or its exit code); `resourceLimits` bound its
   * heap's spaces.
   */
  constructor(
    private readonly onMessage: (reply: Rep) => void,
    worker = "./pg-worker",
    data: Readonly<Record<string, unknown>> = {},
    onExit: (error: Error) => void = () => {},
    resourceLimits: ResourceLimits = {},
  ) {
    const { port1, port2 } = new MessageChannel();
    this.#port = port1;
    const workerData = { ...data, port: port2, signal: this.#signal };
    this.#worker = startThread(new URL(worker, import.meta.url), {
      workerData,
      transferList: [port2],
      resourceLimits,
    });
    this.#worker.on("error", (error) => onExit(error));
    this.#worker.on("exit", (code) => onExit(new Error(`the thread exited (code ${code})`)));
    port1.on("message", (reply: Rep) => this.onMessage(reply));
    // Neither keeps the process alive: exit flushes what is left (see exit-flush.ts).
    port1.unref();
    this.#worker.unref();
  }

  /** Posts a request without waiting (`transfer`: buffers moved to the thread, not copied). */
  post(request: Req, transfer?: readonly ArrayBuffer[]): void {
    this.#port.postMessage(request, transfer);
  }

  /** A fresh id for a request to be called. */
  id(): number {
    return this.#nextId++;
  }

  /**
   * Posts `request` and blocks until its answer, handing every other message that arrives
   * first to `onMessage` (in order); throws {@link CallTimeout} after `timeoutMs`.
   */
  call(request: Req & { readonly id: number }, timeoutMs: number): Answer<Rep> {
    this.#port.postMessage(request);
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const seen = Atomics.load(this.#signal, 0);
      const answer = this.drain(request.id);
      if (answer !== undefined) return answer;
      const left = deadline - Date.now();
      if (left <= 0) throw new CallTimeout(`no answer in ${timeoutMs} ms`);
      Atomics.wait(this.#signal, 0, seen, left);
    }
  }

  /** Blocks until `done()` or `timeoutMs`, handing messages to `onMessage`; whether done. */
  waitUntil(done: () => boolean, timeoutMs: number): boolean {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const seen = Atomics.load(this.#signal, 0);
      this.drain(undefined);
      if (done()) return true;
      const left = deadline - Date.now();
      if (left <= 0) return false;
      Atomics.wait(this.#signal, 0, seen, left);
    }
  }

  /** Stops the thread. */
  async terminate(): Promise<void> {
    this.#port.close();
    await this.#worker.terminate();
  }

  /** Hands waiting messages to `onMessage` until the answer to `id` comes (returned). */
  private drain(id: number | undefined): Answer<Rep> | undefined {
    for (;;) {
      const received = receiveMessageOnPort(this.#port);
      if (received === undefined) return undefined;
      const reply = received.message as Rep;
      if (isAnswer(reply) && reply.id === id) return reply;
      this.onMessage(reply);
    }
  }
}
