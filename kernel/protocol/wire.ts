/**
 * The wire format: `[identities…, "<IDS|MSG>", signature, header, parent_header, metadata,
 * content, buffers…]`. Decoding checks the signature before it parses any JSON: a message that
 * is not signed with the connection's key is never looked at, let alone executed.
 */
import { z } from "zod";
import { headerSchema, type JupyterMessage } from "./message.js";
import type { Signer } from "./signer.js";

/** The frame between routing identities and the signed message. */
export const DELIMITER = "<IDS|MSG>";

const delimiterBytes = Buffer.from(DELIMITER);

/** A decoded message, or why the frames were dropped. */
export type Decoded =
  | { readonly ok: true; readonly message: JupyterMessage }
  | { readonly ok: false; readonly reason: string };

const objectSchema = z.record(z.string(), z.unknown());

/** Turns a message into frames, signed with `signer`. */
export function encodeMessage(message: JupyterMessage<unknown>, signer: Signer): Buffer[] {
  const parts = [message.header, message.parent_header, message.metadata, message.content].map(
    (part) => Buffer.from(JSON.stringify(part)),
  );
  return [
    ...message.identities,
    delimiterBytes,
    Buffer.from(signer.sign(parts)),
    ...parts,
    ...message.buffers,
  ];
}

/** The signature frame of a message's frames, as text ("" when there is none). */
export function signatureOf(frames: readonly Buffer[]): string {
  const at = frames.findIndex((frame) => frame.equals(delimiterBytes));
  return at < 0 ? "" : (frames[at + 1]?.toString("latin1") ?? "");
}

/** Parses frames into a message, checking the signature first. */
export function decodeMessage(frames: readonly Buffer[], signer: Signer): Decoded {
  const at = frames.findIndex((frame) => frame.equals(delimiterBytes));
  if (at < 0) return { ok: false, reason: "no <IDS|MSG> delimiter" };
  const signature = frames[at + 1];
  const parts = frames.slice(at + 2, at + 6);
  if (signature === undefined || parts.length < 4) {
    return { ok: false, reason: `only ${frames.length - at - 1} frames after the delimiter` };
  }
  if (!signer.verify(parts, signature.toString("latin1"))) {
    return {
      ok: false,
      reason: signature.length === 0 ? "missing signature" : "bad signature",
    };
  }
  let json: unknown[];
  try {
    json = parts.map((part) => JSON.parse(part.toString("utf8")) as unknown);
  } catch (error) {
    return { ok: false, reason: `invalid JSON: ${(error as Error).message}` };
  }
  const header = headerSchema.safeParse(json[0]);
  const rest = z.tuple([objectSchema, objectSchema, objectSchema]).safeParse(json.slice(1));
  if (!header.success) return { ok: false, reason: `bad header: ${header.error.message}` };
  if (!rest.success) return { ok: false, reason: "parent_header, metadata or content not objects" };
  const [parent, metadata, content] = rest.data;
  return {
    ok: true,
    message: {
      identities: frames.slice(0, at),
      header: header.data,
      parent_header: parent,
      metadata,
      content,
      buffers: frames.slice(at + 6),
    },
  };
}
