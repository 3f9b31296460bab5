/**
 * One page's conversation with the server, apart from the WebSocket that carries it (so it
 * is tested without sockets): it answers requests and streams the open run's changes.
 */
import type { Subscription } from "rxjs";
import { parseClientMessage, type ClientMessage, type ServerMessage } from "./page-protocol.js";
import { runFeed$, type RunFeedOptions } from "./run-feed.js";
import type { RunSource } from "./run-source.js";
import { badMessage } from "./texts.js";

/** A page's connection: hand it each text message; close it when the socket closes. */
export interface Connection {
  receive(text: string): void;
  close(): void;
}

/** Serves one page: `send` delivers a message to it. */
export function createConnection(
  source: RunSource,
  send: (message: ServerMessage) => void,
  options: RunFeedOptions = {},
): Connection {
  let feed: Subscription | undefined;
  const fail = (error: unknown): void =>
    send({ type: "error", message: error instanceof Error ? error.message : String(error) });
  const sendRuns = (): void => {
    source.runs().then((runs) => send({ type: "runs", runs }), fail);
  };
  const changes = source.changes$.subscribe(sendRuns);

  const handle = (message: ClientMessage): void => {
    switch (message.type) {
      case "runs":
        sendRuns();
        return;
      case "open":
        feed?.unsubscribe();
        feed = runFeed$(source, message.run, options).subscribe({ next: send, error: fail });
        return;
      case "task":
        source
          .task(message.run, message.task)
          .then((detail) => send({ type: "task", run: message.run, detail: detail ?? null }), fail);
        return;
      case "child":
        source.child(message.run, message.task).then((child) => {
          send({ type: "child", run: message.run, task: message.task, child: child ?? null });
          // the child shows in the list once the page has asked for it
          if (child !== undefined) sendRuns();
        }, fail);
        return;
      case "control":
        source.control(message.run, message.action).then(() => {
          send({ type: "controlled", run: message.run, action: message.action });
          sendRuns();
        }, fail);
        return;
    }
  };

  return {
    receive(text) {
      const message = parseClientMessage(text);
      if ("error" in message) send({ type: "error", message: badMessage(message.error) });
      else handle(message);
    },
    close() {
      changes.unsubscribe();
      feed?.unsubscribe();
    },
  };
}
