/** Incoming frames to messages: a message that fails the signature check is logged and dropped. */
import * as messages from "../messages.js";
import type { JupyterMessage } from "./message.js";
import type { Signer } from "./signer.js";
import type { FrameReceiver, ReceiveChannel } from "./transport.js";
import { decodeMessage } from "./wire.js";

/** Decodes frames with `signer`; hands good messages to `deliver`, logs the others. */
export function createReceiver(
  signer: Signer,
  deliver: (channel: ReceiveChannel, message: JupyterMessage) => void,
  log: (line: string) => void,
): FrameReceiver {
  return (channel, frames) => {
    const decoded = decodeMessage(frames, signer);
    if (decoded.ok) deliver(channel, decoded.message);
    else log(messages.droppedMessage(channel, decoded.reason));
  };
}
