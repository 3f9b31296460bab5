/**
 * A connection to a profile's daemon: requests answered by id, and followed runs streamed.
 * The socket holds the event loop open only while an answer or a followed run is awaited.
 */
import { connect, type Socket } from "node:net";
import type { EngineEvent } from "../model/events.js";
import { DaemonNotRunningError } from "./errors.js";
import { readMessages, writeMessage } from "./ndjson.js";
import type { DaemonStatus, Reply, Request } from "./protocol.js";

type RequestBody = Request extends infer R ? (R extends Request ? Omit<R, "id"> : never) : never;

/** What a follower of a run is told. */
export interface FollowHandlers {
  event(event: EngineEvent): void;
  end(state: string): void;
}

/** One open connection to a daemon. */
export class DaemonConnection {
  #next = 1;
  readonly #waiting = new Map<number, (reply: Reply) => void>();
  readonly #followers = new Map<number, FollowHandlers>();
  readonly #closed: Promise<void>;

  private constructor(private readonly socket: Socket) {
    this.#closed = new Promise((resolve) => socket.on("close", () => resolve()));
    socket.on("error", () => socket.destroy());
    readMessages(socket, (message) => this.#receive(message as Reply));
    void this.#closed.then(() => {
      for (const resolve of this.#waiting.values()) {
        resolve({ id: -1, ok: false, error: "the daemon closed the connection" });
      }
      this.#waiting.clear();
      this.#updateRef();
    });
    this.#updateRef();
  }

  /** Connects to the daemon listening on `path`; rejects with DaemonNotRunningError if none. */
  static open(path: string): Promise<DaemonConnection> {
    return new Promise((resolve, reject) => {
      const socket = connect(path);
      socket.once("connect", () => resolve(new DaemonConnection(socket)));
      socket.once("error", () => reject(new DaemonNotRunningError(path)));
    });
  }

  /** Resolves when the connection has closed (the daemon stopped or died). */
  get closed(): Promise<void> {
    return this.#closed;
  }

  /** Sends a request and resolves with its answer. */
  request(body: RequestBody): Promise<Reply> {
    const id = this.#next++;
    const answer = new Promise<Reply>((resolve) => this.#waiting.set(id, resolve));
    writeMessage(this.socket, { ...body, id });
    this.#updateRef();
    return answer;
  }

  /** The daemon's status. */
  async status(): Promise<DaemonStatus> {
    const reply = await this.request({ op: "status" });
    if ("ok" in reply && reply.ok && reply.status !== undefined) return reply.status;
    throw new Error("error" in reply ? reply.error : "the daemon gave no status");
  }

  /** Follows run `pk`: every event of it so far and to come, then its end. */
  follow(pk: number, handlers: FollowHandlers): void {
    const id = this.#next++;
    this.#followers.set(id, handlers);
    writeMessage(this.socket, { op: "follow", pk, id });
    this.#updateRef();
  }

  /** Closes the connection. */
  close(): void {
    this.socket.end();
    this.socket.destroy();
  }

  #receive(reply: Reply): void {
    const follower = this.#followers.get(reply.id);
    if (follower !== undefined) {
      if ("event" in reply) follower.event(reply.event);
      else if ("end" in reply) {
        this.#followers.delete(reply.id);
        follower.end(reply.state);
        this.#updateRef();
      }
      return;
    }
    const resolve = this.#waiting.get(reply.id);
    this.#waiting.delete(reply.id);
    resolve?.(reply);
    this.#updateRef();
  }

  #updateRef(): void {
    if (this.#waiting.size > 0 || this.#followers.size > 0) this.socket.ref();
    else this.socket.unref();
  }
}
