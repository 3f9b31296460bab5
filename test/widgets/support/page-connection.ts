/** A live page's connection without a socket: the messages it sends land in a list. */
import { createConnection } from "../../../widgets/gui/connection.js";
import type { ServerMessage } from "../../../widgets/gui/page-protocol.js";
import type { ProcessRunSource, StoredRunSource } from "../../../widgets/index.js";

/** A connection to `source`; `next` waits for the next message of a type, `send` sends one. */
export function connectPage(source: ProcessRunSource | StoredRunSource) {
  const messages: ServerMessage[] = [];
  const waiters: (() => void)[] = [];
  const connection = createConnection(source, (m) => {
    messages.push(m);
    waiters.splice(0).forEach((wake) => wake());
  });
  async function next<T extends ServerMessage["type"]>(type: T) {
    for (;;) {
      const found = messages.findIndex((m) => m.type === type);
      if (found >= 0) return messages.splice(found, 1)[0] as Extract<ServerMessage, { type: T }>;
      await new Promise<void>((wake) => waiters.push(wake));
    }
  }
  return { connection, next, send: (m: object) => connection.receive(JSON.stringify(m)) };
}
