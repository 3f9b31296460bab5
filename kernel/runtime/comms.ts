/**
 * Comms: channels between kernel code and front-end widgets. Targets are registered by code;
 * a front end opens a comm on a target, then either side sends messages until one closes it.
 */
import { randomUUID } from "node:crypto";
import type { MessageHeader } from "../protocol/message.js";
import type { Outbox } from "../protocol/session.js";
import type { Comm, CommData, CommTarget, CommTargets } from "./cell-scope.js";

/** The target that echoes every message back: for tests and for checking a connection. */
export const ECHO_TARGET = "workgraph.echo";

/** The comm targets and open comms of one kernel. */
export class CommRegistry implements CommTargets {
  readonly #targets = new Map<string, CommTarget>();
  readonly #comms = new Map<string, OpenComm>();

  /** `parent` tells which request the code that sends a message runs for. */
  constructor(
    private readonly outbox: Outbox,
    private readonly parent: () => MessageHeader | undefined,
  ) {
    this.register(ECHO_TARGET, (comm) => comm.onMessage((data) => comm.send(data)));
  }

  register(targetName: string, target: CommTarget): void {
    this.#targets.set(targetName, target);
  }

  unregister(targetName: string): void {
    this.#targets.delete(targetName);
  }

  /** A front end opened a comm; false when no target has that name. */
  opened(commId: string, targetName: string, data: CommData): boolean {
    const target = this.#targets.get(targetName);
    if (target === undefined) return false;
    const comm = new OpenComm(commId, targetName, this);
    this.#comms.set(commId, comm);
    target(comm, data);
    return true;
  }

  /** A front end sent a message on a comm; false when the comm is unknown. */
  message(commId: string, data: CommData): boolean {
    const comm = this.#comms.get(commId);
    comm?.received(data);
    return comm !== undefined;
  }

  /** A front end closed a comm. */
  closed(commId: string, data: CommData): void {
    const comm = this.#comms.get(commId);
    this.#comms.delete(commId);
    comm?.closedRemotely(data);
  }

  /** Opens a comm from the kernel's side. */
  open(targetName: string, data: CommData = {}): Comm {
    const comm = new OpenComm(randomUUID(), targetName, this);
    this.#comms.set(comm.id, comm);
    this.send("comm_open", { comm_id: comm.id, target_name: targetName, data });
    return comm;
  }

  /** The open comms, optionally of one target: `{ id: { target_name } }`. */
  info(targetName?: string): Record<string, { target_name: string }> {
    const comms: Record<string, { target_name: string }> = {};
    for (const comm of this.#comms.values()) {
      if (targetName === undefined || comm.targetName === targetName) {
        comms[comm.id] = { target_name: comm.targetName };
      }
    }
    return comms;
  }

  /** @internal */
  send(msgType: string, content: Readonly<Record<string, unknown>>): void {
    this.outbox.publish(this.parent(), msgType, content);
  }

  /** @internal */
  forget(commId: string): void {
    this.#comms.delete(commId);
  }
}

class OpenComm implements Comm {
  readonly #onMessage: ((data: CommData) => void)[] = [];
  readonly #onClose: ((data: CommData) => void)[] = [];
  #open = true;

  constructor(
    readonly id: string,
    readonly targetName: string,
    private readonly registry: CommRegistry,
  ) {}

  send(data: CommData): void {
    if (this.#open) this.registry.send("comm_msg", { comm_id: this.id, data });
  }

  close(data: CommData = {}): void {
    if (!this.#open) return;
    this.#open = false;
    this.registry.forget(this.id);
    this.registry.send("comm_close", { comm_id: this.id, data });
  }

  onMessage(handler: (data: CommData) => void): void {
    this.#onMessage.push(handler);
  }

  onClose(handler: (data: CommData) => void): void {
    this.#onClose.push(handler);
  }

  received(data: CommData): void {
    for (const handler of this.#onMessage) handler(data);
  }

  closedRemotely(data: CommData): void {
    this.#open = false;
    for (const handler of this.#onClose) handler(data);
  }
}
