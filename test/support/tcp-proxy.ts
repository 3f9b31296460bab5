/**
 * A TCP proxy in front of a server, to cut the network between a client and it: `cut()` drops
 * every connection and stops listening (the port refuses, as a blocked port does), `restore()`
 * listens on the same port again. It runs in a thread of its own, so a client that blocks the
 * test's thread (a store waiting for its server) still gets through it.
 */
import { once } from "node:events";
import { Worker } from "node:worker_threads";

const PROXY = `
const { parentPort, workerData } = require("node:worker_threads");
const net = require("node:net");
const sockets = new Set();
let server;
let port = 0;
function track(socket) {
  sockets.add(socket);
  socket.on("close", () => sockets.delete(socket));
  socket.on("error", () => socket.destroy());
}
parentPort.on("message", (command) => {
  if (command === "restore") {
    server = net.createServer((client) => {
      const upstream = net.connect(workerData.port, workerData.host);
      track(client);
      track(upstream);
      client.pipe(upstream).pipe(client);
      client.on("close", () => upstream.destroy());
      upstream.on("close", () => client.destroy());
    });
    server.once("error", (error) => parentPort.postMessage({ error: error.message }));
    server.listen(port, "127.0.0.1", () => {
      port = server.address().port;
      parentPort.postMessage({ port });
    });
  } else if (command === "cut") {
    for (const socket of sockets) socket.destroy();
    sockets.clear();
    const closing = server;
    server = undefined;
    if (closing === undefined) parentPort.postMessage({ port });
    else closing.close(() => parentPort.postMessage({ port }));
  }
});
`;

/** A proxy to `host:port` on a free local port, in its own thread. */
export class TcpProxy {
  readonly #worker: Worker;
  #port = 0;

  constructor(host: string, port: number) {
    this.#worker = new Worker(PROXY, { eval: true, workerData: { host, port } });
  }

  /** The local port clients connect to. */
  get port(): number {
    return this.#port;
  }

  /** Starts listening (on a free port the first time, on the same one after a cut). */
  async restore(): Promise<void> {
    await this.#send("restore");
  }

  /** Drops every connection and stops listening. */
  async cut(): Promise<void> {
    await this.#send("cut");
  }

  /** Stops the proxy's thread. */
  async close(): Promise<void> {
    await this.#worker.terminate();
  }

  async #send(command: "restore" | "cut"): Promise<void> {
    const answer = once(this.#worker, "message");
    this.#worker.postMessage(command);
    const [reply] = (await answer) as [{ port: number; error?: string }];
    if (reply.error !== undefined) throw new Error(`proxy: ${reply.error}`);
    this.#port = reply.port;
  }
}
