/** The daemon's local socket: answers requests and streams followed runs, one JSON per line. */
import { createServer, type Server, type Socket } from "node:net";
import { z } from "zod";
import type { Daemon } from "./daemon.js";
import { readMessages, writeMessage } from "./ndjson.js";
import { requestSchema, type Reply } from "./protocol.js";

/** Serves `daemon` on the Unix socket at `path`; `onStop` is called when a client asks to stop. */
export function serveDaemon(daemon: Daemon, path: string, onStop: () => void): Server {
  const server = createServer((socket) => serveClient(daemon, socket, onStop));
  server.listen(path);
  return server;
}

function serveClient(daemon: Daemon, socket: Socket, onStop: () => void): void {
  const unfollows: (() => void)[] = [];
  socket.on("error", () => socket.destroy());
  socket.on("close", () => unfollows.forEach((unfollow) => unfollow()));
  const reply = (message: Reply): void => writeMessage(socket, message);
  readMessages(socket, (message) => {
    const parsed = requestSchema.safeParse(message);
    if (!parsed.success) {
      const id = (message as { id?: unknown } | null)?.id;
      reply({
        id: typeof id === "number" ? id : -1,
        ok: false,
        error: z.prettifyError(parsed.error),
      });
      return;
    }
    const request = parsed.data;
    switch (request.op) {
      case "status":
        reply({ id: request.id, ok: true, status: daemon.status() });
        return;
      case "wake":
        daemon.wake();
        reply({ id: request.id, ok: true });
        return;
      case "stop":
        reply({ id: request.id, ok: true });
        onStop();
        return;
      case "control": {
        const error = daemon.control(request.pk, request.action);
        reply(
          error === undefined ? { id: request.id, ok: true } : { id: request.id, ok: false, error },
        );
        return;
      }
      case "follow":
        unfollows.push(
          daemon.follow(request.pk, {
            event: (event) => reply({ id: request.id, event }),
            end: (state) => reply({ id: request.id, end: true, state }),
          }),
        );
        return;
    }
  });
}
