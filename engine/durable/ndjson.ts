/** Newline-delimited JSON over a stream socket: one object per line, each way. */
import type { Socket } from "node:net";
import { createInterface } from "node:readline";

/** Calls `onMessage` with each parsed line; a line that is not JSON closes the socket. */
export function readMessages(socket: Socket, onMessage: (message: unknown) => void): void {
  const lines = createInterface({ input: socket, crlfDelay: Infinity });
  lines.on("line", (line) => {
    if (line.trim() === "") return;
    let message: unknown;
    try {
      message = JSON.parse(line);
    } catch {
      socket.destroy();
      return;
    }
    onMessage(message);
  });
}

/** Writes one message as a line; a socket that is gone drops it. */
export function writeMessage(socket: Socket, message: unknown): void {
  if (!socket.destroyed && socket.writable) socket.write(`${JSON.stringify(message)}\n`);
}
