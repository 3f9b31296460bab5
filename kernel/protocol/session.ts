/** The kernel's side of a Jupyter session: it builds, signs and addresses outgoing messages. */
import { randomUUID } from "node:crypto";
import { newHeader, type Content, type JupyterMessage, type MessageHeader } from "./message.js";
import type { Signer } from "./signer.js";
import { encodeMessage } from "./wire.js";

/** The channels a kernel sends on. */
export type SendChannel = "shell" | "control" | "iopub" | "stdin";

/** Where outgoing messages go: replies to a request, and broadcasts on iopub. */
export interface Outbox {
  /** Answers `request` on the channel it came from. */
  reply(
    channel: SendChannel,
    request: JupyterMessage,
    msgType: string,
    content: Content,
    metadata?: Content,
  ): void;
  /** Broadcasts on iopub; `parent` is the header of the request the message belongs to. */
  publish(parent: MessageHeader | undefined, msgType: string, content: Content): void;
}

/** Sends signed frames on a channel; the transport implements it. */
export type FrameSender = (channel: SendChannel, frames: Buffer[]) => void;

/** An outbox that signs with `signer` and hands frames to `send`. */
export function createSession(
  signer: Signer,
  send: FrameSender,
  id: string = randomUUID(),
): Outbox {
  return {
    reply(channel, request, msgType, content, metadata = {}) {
      const message: JupyterMessage = {
        identities: request.identities,
        header: newHeader(msgType, id),
        parent_header: request.header,
        metadata,
        content,
        buffers: [],
      };
      send(channel, encodeMessage(message, signer));
    },
    publish(parent, msgType, content) {
      const message: JupyterMessage = {
        // Subscribers filter on this topic frame; ipykernel uses the same shape.
        identities: [Buffer.from(`kernel.${id}.${msgType}`)],
        header: newHeader(msgType, id),
        parent_header: parent ?? {},
        metadata: {},
        content,
        buffers: [],
      };
      send("iopub", encodeMessage(message, signer));
    },
  };
}
