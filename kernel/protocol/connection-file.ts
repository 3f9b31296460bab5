/**
 * A fresh connection file, as a Jupyter front end writes one for a kernel it starts: five free
 * loopback ports and a random signing key, in a temporary folder of its own.
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ConnectionInfo } from "./connection.js";

/** A connection file written for a kernel about to start. */
export interface FreshConnection {
  readonly connection: ConnectionInfo;
  /** The temporary folder that holds the file: removed when the kernel is done. */
  readonly folder: string;
  /** The connection file's path. */
  readonly file: string;
}

/** Writes a connection file with free ports and a new key in a new folder named `prefix…`. */
export async function writeFreshConnection(prefix: string): Promise<FreshConnection> {
  const ports = [];
  for (let i = 0; i < 5; i++) ports.push(await freePort());
  const [shell, iopub, stdin, control, hb] = ports as [number, number, number, number, number];
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
  const folder = mkdtempSync(join(tmpdir(), prefix));
  const file = join(folder, "connection.json");
  writeFileSync(file, JSON.stringify(connection));
  return { connection, folder, file };
}

/** A loopback port nothing listens on (free when asked; a kernel binds it soon after). */
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
