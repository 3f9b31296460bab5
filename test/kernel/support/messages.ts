/** Building requests and recording what a kernel sends, for tests without sockets. */
import { randomUUID } from "node:crypto";
import type { Content, JupyterMessage, MessageHeader } from "../../../kernel/protocol/message.js";
import { newHeader } from "../../../kernel/protocol/message.js";
import type { Outbox } from "../../../kernel/protocol/session.js";

/** A request as a client would send it. */
export function request(msgType: string, content: Content = {}): JupyterMessage {
  return {
    identities: [Buffer.from("client")],
    header: { ...newHeader(msgType, "client-session"), msg_id: randomUUID(), username: "test" },
    parent_header: {},
    metadata: {},
    content,
    buffers: [],
  };
}

/** One message the kernel sent. */
export interface Sent {
  readonly channel: string;
  readonly msgType: string;
  readonly parent: string | undefined;
  readonly content: Content;
}

/** An outbox that keeps every message, in order. */
export class RecordingOutbox implements Outbox {
  readonly sent: Sent[] = [];

  reply(channel: string, req: JupyterMessage, msgType: string, content: Content): void {
    this.sent.push({ channel, msgType, parent: req.header.msg_id, content });
  }

  publish(parent: MessageHeader | undefined, msgType: string, content: Content): void {
    this.sent.push({ channel: "iopub", msgType, parent: parent?.msg_id, content });
  }

  /** The messages sent for a request, without its busy/idle status. */
  for(req: JupyterMessage): Sent[] {
    return this.sent.filter((m) => m.parent === req.header.msg_id && m.msgType !== "status");
  }

  /** The reply to a request. */
  replyTo(req: JupyterMessage): Content | undefined {
    return this.sent.find((m) => m.parent === req.header.msg_id && m.channel !== "iopub")?.content;
  }

  /** The stdout text sent for a request. */
  stdout(req: JupyterMessage): string {
    return this.for(req)
      .filter((m) => m.msgType === "stream" && m.content.name === "stdout")
      .map((m) => String(m.content.text))
      .join("");
  }

  /**
   * A run's log as the cell shows it: the text of its log displays (as last updated), in the
   * order they were shown.
   */
  log(req: JupyterMessage): string {
    const texts = new Map<string, string>();
    for (const m of this.sent) {
      const id = (m.content.transient as { display_id?: string } | undefined)?.display_id;
      const metadata = m.content.metadata as { workgraph?: string } | undefined;
      if (id === undefined || metadata?.workgraph !== "log") continue;
      const shown = m.msgType === "display_data" && m.parent === req.header.msg_id;
      if (shown || (m.msgType === "update_display_data" && texts.has(id))) {
        texts.set(id, String((m.content.data as Record<string, unknown>)["text/plain"]));
      }
    }
    return [...texts.values()].join("");
  }
}
