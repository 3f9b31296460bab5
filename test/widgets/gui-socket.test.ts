/**
 * The live page's WebSocket at its edges: who may open it (the token, and a browser's Origin
 * must be the page's own, as Jupyter's server checks), and answers to what it cannot serve.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { MemoryStore, run } from "../../engine/index.js";
import { ProcessRunSource, startGui, type GuiServer } from "../../widgets/index.js";

let server: GuiServer;
let host: string;
let origin: string;

beforeAll(async () => {
  const source = new ProcessRunSource();
  server = await startGui({ source });
  source.register(run(async function known() {}, {}, { log: false, store: new MemoryStore() }));
  ({ host, origin } = new URL(server.url));
});

afterAll(async () => {
  await server?.close();
});

/** Opens the page's socket with these headers: the socket, or the HTTP status it got. */
function open(headers: Record<string, string> = {}): Promise<WebSocket | number> {
  const socket = new WebSocket(`ws://${host}/ws?token=${server.token}`, { headers });
  return new Promise((resolve, reject) => {
    socket.on("unexpected-response", (_request, response) => resolve(response.statusCode ?? 0));
    socket.on("open", () => resolve(socket));
    socket.on("error", reject);
  });
}

/** The next message on `socket`, parsed, and how the socket closed if it did. */
function nextMessage(socket: WebSocket): Promise<{ type: string; message?: string }> {
  return new Promise((resolve, reject) => {
    socket.once("message", (data: Buffer) =>
      resolve(JSON.parse(data.toString("utf8")) as { type: string; message?: string }),
    );
    socket.once("close", (code, reason) =>
      reject(new Error(`closed (${code} ${reason.toString()}) before a message`)),
    );
  });
}

describe("the page's WebSocket", () => {
  it("refuses a browser from another origin, with 403", async () => {
    for (const foreign of ["http://evil.example", `http://localhost.evil.example`, "null"]) {
      expect(await open({ Origin: foreign }), foreign).toBe(403);
    }
  });

  it("accepts the page's own origin, and clients that send none (not browsers)", async () => {
    for (const headers of [{ Origin: origin }, {}]) {
      const socket = await open(headers);
      expect(socket).toBeInstanceOf(WebSocket);
      (socket as WebSocket).close();
    }
  });

  it("answers the open of an unknown run with an error naming it", async () => {
    const socket = (await open({ Origin: origin })) as WebSocket;
    try {
      socket.send(JSON.stringify({ type: "open", run: 9999 }));
      expect(await nextMessage(socket)).toEqual({
        type: "error",
        message: "No run 9999 here (it may have been forgotten).",
      });
    } finally {
      socket.close();
    }
  });

  it("answers a 70 KB message with an error saying the limit, then closes", async () => {
    const socket = (await open({ Origin: origin })) as WebSocket;
    const closed = new Promise<{ code: number; reason: string }>((resolve) =>
      socket.once("close", (code, reason) => resolve({ code, reason: reason.toString() })),
    );
    const message = nextMessage(socket);
    socket.send(JSON.stringify({ type: "runs", padding: "x".repeat(70 * 1024) }));
    const answer = await message;
    expect(answer.type).toBe("error");
    expect(answer.message).toMatch(/^Message too large: 71,\d{3} bytes; the limit is 65,536 bytes/);
    expect(await closed).toMatchObject({ code: 1009, reason: "message too large" });
  });
});
