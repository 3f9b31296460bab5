/**
 * Incoming frames to messages: a message that fails the signature check, or whose signature
 * was seen before (a replay), is logged and dropped.
 */
import * as messages from "../messages.js";
import type { JupyterMessage } from "./message.js";
import { createSignatureHistory, type SignatureHistory } from "./signature-history.js";
import type { Signer } from "./signer.js";
import type { FrameReceiver, ReceiveChannel } from "./transport.js";
import { decodeMessage, signatureOf } from "./wire.js";

/** Decodes frames with `signer`; hands good messages to `deliver`, logs the others. */
export function createReceiver(
  signer: Signer,
  deliver: (channel: ReceiveChannel, message: JupyterMessage) => void,
  log: (line: string) => void,
  history: SignatureHistory = createSignatureHistory(),
): FrameReceiver {
  return (channel, frames) => {
    const decoded = decodeMessage(frames, signer);
    if (!decoded.ok) {
      log(messages.droppedMessage(channel, decoded.reason));
      return;
    }
    // Without a key every signature is empty and nothing is authenticated to replay.
    const signature = signatureOf(frames);
    if (signature !== "" && !history.remember(signature)) {
      log(messages.droppedMessage(channel, messages.replayedSignature));
      return;
    }
    deliver(channel, decoded.message);
  };
}
