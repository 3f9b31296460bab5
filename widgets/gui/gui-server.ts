/**
 * The live web page's server: HTTP for the page and its scripts, a WebSocket for the data,
 * on 127.0.0.1 by default. Every request and every WebSocket upgrade must carry the random
 * token: without it the answer is 401 and the socket is closed. A browser opening the socket
 * must come from the page's own origin (403 otherwise), as Jupyter's server checks.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Duplex } from "node:stream";
import { WebSocketServer, type WebSocket } from "ws";
import { carriesToken, newToken } from "./access-token.js";
import { createConnection } from "./connection.js";
import { asset } from "./page-assets.js";
import { pageHtml } from "./page-html.js";
import type { RunFeedOptions } from "./run-feed.js";
import type { RunSource } from "./run-source.js";
import { messageTooLarge, tokenMissing } from "./texts.js";

/** Options of {@link startGui}. */
export interface GuiOptions extends RunFeedOptions {
  /** Where the runs come from. */
  readonly source: RunSource;
  /** The port; a free one when left out. */
  readonly port?: number;
  /** The address to listen on (default 127.0.0.1: this machine only). */
  readonly host?: string;
}

/** A running page server. */
export interface GuiServer {
  /** The page's address, token included: open it in a browser. */
  readonly url: string;
  readonly token: string;
  /** Stops serving and closes every connection. */
  close(): Promise<void>;
}

// The page loads only its own scripts; vega compiles expressions with `new Function`.
const CONTENT_SECURITY_POLICY =
  "default-src 'none'; script-src 'self' 'unsafe-eval'; style-src 'self' 'unsafe-inline'; " +
  "connect-src 'self'; img-src 'self' data: blob:; base-uri 'none'; form-action 'none'";

/** The largest message the page may send; the page's own are well under 1 KB. */
export const MAX_MESSAGE_BYTES = 64 * 1024;
/** Beyond this, ws drops the connection before a message is even read (bounded memory). */
const MAX_FRAME_BYTES = 1024 * 1024;

/** Starts the page server. */
export async function startGui(options: GuiOptions): Promise<GuiServer> {
  const host = options.host ?? "127.0.0.1";
  const token = newToken();
  const sockets = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES });
  const server = createServer((request, response) => {
    if (!carriesToken(request.url, request.headers.authorization, token)) {
      return refuse(response);
    }
    serve(request, response, token).catch(() => {
      if (!response.headersSent) response.writeHead(500);
      response.end();
    });
  });
  server.on("upgrade", (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    const path = new URL(request.url ?? "/", "http://localhost").pathname;
    if (path !== "/ws" || !carriesToken(request.url, request.headers.authorization, token)) {
      socket.end("HTTP/1.1 401 Unauthorized\r\nConnection: close\r\nContent-Length: 0\r\n\r\n");
      socket.destroy();
      return;
    }
    if (!fromOwnOrigin(request)) {
      socket.end("HTTP/1.1 403 Forbidden\r\nConnection: close\r\nContent-Length: 0\r\n\r\n");
      socket.destroy();
      return;
    }
    sockets.handleUpgrade(request, socket, head, (ws) => talk(ws, options));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const shownHost = host.includes(":") ? `[${host}]` : host;
  return {
    url: `http://${shownHost}:${port}/?token=${token}`,
    token,
    close: () =>
      new Promise<void>((resolve) => {
        for (const ws of sockets.clients) ws.terminate();
        sockets.close();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function serve(request: IncomingMessage, response: ServerResponse, token: string) {
  const path = new URL(request.url ?? "/", "http://localhost").pathname;
  if (request.method !== "GET" && request.method !== "HEAD") {
    response.writeHead(405, { Allow: "GET, HEAD" }).end();
    return;
  }
  const headers = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
  };
  if (path === "/") {
    response.writeHead(200, { ...headers, "Content-Type": "text/html; charset=utf-8" });
    response.end(pageHtml(token));
    return;
  }
  const file = asset(path);
  if (file === undefined) {
    response.writeHead(404, headers).end();
    return;
  }
  const { type, body } = await file;
  response.writeHead(200, { ...headers, "Content-Type": type }).end(body);
}

/**
 * Whether a WebSocket upgrade comes from the page itself: a browser sends the Origin of the
 * page that opens the socket, and it must name this server (Jupyter's check_origin). A client
 * that is not a browser sends none; it still needs the token.
 */
function fromOwnOrigin(request: IncomingMessage): boolean {
  const origin = request.headers.origin;
  if (origin === undefined) return true;
  try {
    return new URL(origin).host === request.headers.host;
  } catch {
    return false; // "null" (a sandboxed frame, a file) or garbage
  }
}

function refuse(response: ServerResponse): void {
  response.writeHead(401, { "Content-Type": "text/plain; charset=utf-8" });
  response.end(tokenMissing());
}

function talk(ws: WebSocket, options: GuiOptions): void {
  const connection = createConnection(
    options.source,
    (message) => {
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(message));
    },
    options,
  );
  ws.on("message", (data, isBinary) => {
    if (isBinary) return;
    const chunks = Array.isArray(data)
      ? data
      : [data instanceof ArrayBuffer ? Buffer.from(data) : data];
    const text = Buffer.concat(chunks);
    if (text.length > MAX_MESSAGE_BYTES) {
      // Said before closing, so the page (or whoever) learns why rather than guessing.
      ws.send(
        JSON.stringify({ type: "error", message: messageTooLarge(text.length, MAX_MESSAGE_BYTES) }),
      );
      ws.close(1009, "message too large");
      return;
    }
    connection.receive(text.toString("utf8"));
  });
  ws.on("close", () => connection.close());
  ws.on("error", () => connection.close());
}
