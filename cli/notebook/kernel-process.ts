/**
 * Starts the workgraph kernel as a child process with a fresh connection file: free loopback
 * ports and a random signing key, as a Jupyter front end would.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ConnectionInfo } from "../../kernel/protocol/connection.js";
import { packageRoot } from "../../kernel/package-root.js";

/** A running kernel process and how to reach it. */
export interface KernelProcess {
  readonly connection: ConnectionInfo;
  readonly child: ChildProcess;
  /** Kills the kernel (if still alive) and removes its connection file. */
  stop(): void;
}

async function freePort(): Promise<number> {
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

/** Starts a kernel whose working folder is `cwd` (a notebook's folder). */
export async function startKernel(cwd: string): Promise<KernelProcess> {
  const [shell, iopub, stdin, control, hb] = [
    await freePort(),
    await freePort(),
    await freePort(),
    await freePort(),
    await freePort(),
  ] as [number, number, number, number, number];
  const connection: ConnectionInfo = {
    transport: "tcp",
    ip: "127.0.0.1",
    shell_port: shell,
    iopub_port: iopub,
    stdin_port: stdin,
    control_port: control,
    hb_port: hb,
    key: randomBytes(32).toString("hex"),
    signature_scheme: "hmac-sha256",
  };
  const folder = mkdtempSync(join(tmpdir(), "workgraph-kernel-"));
  const file = join(folder, "connection.json");
  writeFileSync(file, JSON.stringify(connection));
  const main = join(packageRoot(import.meta.url), "dist", "kernel", "main.js");
  const child = spawn(process.execPath, [main, file], {
    cwd,
    stdio: ["ignore", "inherit", "pipe"],
  });
  let log = "";
  child.stderr?.on("data", (chunk: Buffer) => (log = (log + chunk.toString()).slice(-4000)));
  child.once("exit", (code, signal) => {
    if (code !== 0 && signal === null)
      process.stderr.write(`kernel exited with code ${code}\n${log}`);
  });
  return {
    connection,
    child,
    stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
      rmSync(folder, { recursive: true, force: true });
    },
  };
}
