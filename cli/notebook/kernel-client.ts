/**
 * A small Jupyter client over the kernel's own wire protocol: it sends requests on shell and
 * control, and hands every iopub message of a request to the caller until the kernel is idle
 * and has replied. No Python needed.
 */
import * as zmq from "zeromq";
import { endpoint, type ConnectionInfo } from "../../kernel/protocol/connection.js";
import { newHeader, type Content, type JupyterMessage } from "../../kernel/protocol/message.js";
import { createSigner, type Signer } from "../../kernel/protocol/signer.js";
import { decodeMessage, encodeMessage } from "../../kernel/protocol/wire.js";

type Listener = (message: JupyterMessage) => void;

/** A connected client. */
export class KernelClient {
  readonly #signer: Signer;
  readonly #session = `client-${process.pid}-${Date.now()}`;
  readonly #shell = new zmq.Dealer();
  readonly #control = new zmq.Dealer();
  readonly #iopub = new zmq.Subscriber();
  readonly #replies = new Map<string, (message: JupyterMessage) => void>();
  readonly #listeners = new Map<string, Listener>();
  readonly #idle = new Map<string, () => void>();

  private constructor(private readonly connection: ConnectionInfo) {
    this.#signer = createSigner(connection.key, connection.signature_scheme);
  }

  /** Connects to a kernel. */
  static async connect(connection: ConnectionInfo): Promise<KernelClient> {
    const client = new KernelClient(connection);
    client.#shell.connect(endpoint(connection, "shell"));
    client.#control.connect(endpoint(connection, "control"));
    client.#iopub.connect(endpoint(connection, "iopub"));
    client.#iopub.subscribe();
    void client.#receive(client.#shell, (m) => client.#reply(m));
    void client.#receive(client.#control, (m) => client.#reply(m));
    void client.#receive(client.#iopub, (m) => client.#broadcast(m));
    return client;
  }

  /**
   * Waits until the kernel answers and its iopub messages reach us: a subscriber misses what
   * is published before it is connected, so kernel_info is asked until its idle status comes.
   */
  async ready(ms = 30_000): Promise<void> {
    const deadline = Date.now() + ms;
    for (;;) {
      const answered = this.request("shell", "kernel_info_request", {}, () => undefined).then(
        () => true,
      );
      const late = new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 1000));
      if (await Promise.race([answered, late])) return;
      if (Date.now() > deadline) throw new Error(`the kernel did not answer within ${ms} ms`);
    }
  }

  /** Sends a request; resolves with its reply. iopub messages of it go to `listener`. */
  async request(
    channel: "shell" | "control",
    type: string,
    content: Content,
    listener?: Listener,
  ): Promise<JupyterMessage> {
    const header = newHeader(type, this.#session);
    const message = {
      identities: [],
      header,
      parent_header: {},
      metadata: {},
      content,
      buffers: [],
    };
    const idle = new Promise<void>((resolve) => this.#idle.set(header.msg_id, resolve));
    if (listener !== undefined) this.#listeners.set(header.msg_id, listener);
    const reply = new Promise<JupyterMessage>((resolve) =>
      this.#replies.set(header.msg_id, resolve),
    );
    await (channel === "shell" ? this.#shell : this.#control).send(
      encodeMessage(message, this.#signer),
    );
    const answer = await reply;
    if (listener !== undefined) await idle;
    this.#listeners.delete(header.msg_id);
    this.#idle.delete(header.msg_id);
    return answer;
  }

  /** Closes the sockets. */
  close(): void {
    for (const socket of [this.#shell, this.#control, this.#iopub]) {
      socket.linger = 0;
      socket.close();
    }
  }

  async #receive(
    socket: zmq.Dealer | zmq.Subscriber,
    handle: (m: JupyterMessage) => void,
  ): Promise<void> {
    try {
      for await (const frames of socket) {
        const decoded = decodeMessage(frames, this.#signer);
        if (decoded.ok) handle(decoded.message);
      }
    } catch {
      // the socket was closed
    }
  }

  #reply(message: JupyterMessage): void {
    const id = message.parent_header.msg_id;
    if (id !== undefined) this.#replies.get(id)?.(message);
  }

  #broadcast(message: JupyterMessage): void {
    const id = message.parent_header.msg_id;
    if (id === undefined) return;
    if (message.header.msg_type === "status" && message.content.execution_state === "idle") {
      this.#idle.get(id)?.();
      return;
    }
    this.#listeners.get(id)?.(message);
  }
}
