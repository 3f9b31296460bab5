/** The shape of a Jupyter message (protocol 5.3), as it travels between parse and send. */
import { randomUUID } from "node:crypto";
import { z } from "zod";

/** The protocol version this kernel speaks. */
export const PROTOCOL_VERSION = "5.3";

/** A message header. */
export interface MessageHeader {
  readonly msg_id: string;
  readonly session: string;
  readonly username: string;
  readonly date: string;
  readonly msg_type: string;
  readonly version: string;
}

/** JSON content of a message: parsed further (with zod) by whoever handles its type. */
export type Content = Readonly<Record<string, unknown>>;

/** One message: routing identities, the four JSON parts and raw buffers. */
export interface JupyterMessage<C = Content> {
  /** ZeroMQ routing identities of the sender (ROUTER sockets), or the topic (iopub). */
  readonly identities: readonly Buffer[];
  readonly header: MessageHeader;
  /** The header of the request this message answers, or `{}`. */
  readonly parent_header: Partial<MessageHeader>;
  readonly metadata: Content;
  readonly content: C;
  readonly buffers: readonly Buffer[];
}

/** Incoming headers: clients always send these fields, older ones may omit the last three. */
export const headerSchema = z.object({
  msg_id: z.string(),
  msg_type: z.string().min(1),
  session: z.string(),
  username: z.string().default(""),
  date: z.string().default(""),
  version: z.string().default(PROTOCOL_VERSION),
});

/** A fresh header for a message this kernel sends. */
export function newHeader(msgType: string, session: string): MessageHeader {
  return {
    msg_id: randomUUID(),
    session,
    username: "kernel",
    date: new Date().toISOString(),
    msg_type: msgType,
    version: PROTOCOL_VERSION,
  };
}
