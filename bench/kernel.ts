/**
 * The kernel's latency, measured through its real sockets: start (spawn to the first
 * kernel_info_reply) and the round trip of executing `1 + 1` (request to reply) once warm.
 */
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as zmq from "zeromq";
import type { ConnectionInfo } from "../kernel/protocol/connection.js";
import { endpoint } from "../kernel/protocol/connection.js";
import { newHeader, type JupyterMessage } from "../kernel/protocol/message.js";
import { packageRoot } from "../kernel/package-root.js";
import { createSigner, type Signer } from "../kernel/protocol/signer.js";
import { decodeMessage, encodeMessage } from "../kernel/protocol/wire.js";

const WARM_UP = 10;
const ROUNDS = 50;

/** Milliseconds from spawning the kernel to its first kernel_info_reply, and per `1 + 1`. */
export async function benchKernel(): Promise<{ startMs: number; executeRoundTripMs: number }> {
  const dir = mkdtempSync(join(tmpdir(), "workgraph-bench-kernel-"));
  const connection = await connectionInfo();
  const file = join(dir, "connection.json");
  writeFileSync(file, JSON.stringify(connection));
  const signer = createSigner(connection.key);
  const shell = new zmq.Dealer({ linger: 0 });
  const control = new zmq.Dealer({ linger: 0 });
  shell.connect(endpoint(connection, "shell"));
  control.connect(endpoint(connection, "control"));
  const main = join(packageRoot(import.meta.url), "dist", "kernel", "main.js");
  const started = performance.now();
  const kernel = spawn(process.execPath, [main, file], { cwd: dir, stdio: "ignore" });
  const exited = new Promise((resolve) => kernel.once("exit", resolve));
  try {
    await call(shell, signer, "kernel_info_request", {});
    const startMs = performance.now() - started;
    const execute = () => call(shell, signer, "execute_request", { code: "1 + 1", silent: false });
    for (let i = 0; i < WARM_UP; i++) await execute();
    const timed = performance.now();
    for (let i = 0; i < ROUNDS; i++) await execute();
    return { startMs, executeRoundTripMs: (performance.now() - timed) / ROUNDS };
  } finally {
    await call(control, signer, "shutdown_request", { restart: false }).catch(() => undefined);
    const timer = setTimeout(() => kernel.kill("SIGKILL"), 2000);
    await exited;
    clearTimeout(timer);
    shell.close();
    control.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Sends a request and waits for its reply. */
async function call(
  socket: zmq.Dealer,
  signer: Signer,
  msgType: string,
  content: Record<string, unknown>,
): Promise<JupyterMessage> {
  const header = newHeader(msgType, "bench");
  const request = { identities: [], header, parent_header: {}, metadata: {}, content, buffers: [] };
  await socket.send(encodeMessage(request, signer));
  for (;;) {
    const decoded = decodeMessage(await socket.receive(), signer);
    if (decoded.ok && decoded.message.parent_header.msg_id === header.msg_id) {
      return decoded.message;
    }
  }
}

async function connectionInfo(): Promise<ConnectionInfo> {
  const [shell_port, iopub_port, stdin_port, control_port, hb_port] = await Promise.all(
    Array.from({ length: 5 }, freePort),
  );
  return {
    transport: "tcp",
    ip: "127.0.0.1",
    shell_port: shell_port ?? 0,
    iopub_port: iopub_port ?? 0,
    stdin_port: stdin_port ?? 0,
    control_port: control_port ?? 0,
    hb_port: hb_port ?? 0,
    key: randomBytes(16).toString("hex"),
    signature_scheme: "hmac-sha256",
  };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() =>
        resolve(typeof address === "object" && address !== null ? address.port : 0),
      );
    });
  });
}
