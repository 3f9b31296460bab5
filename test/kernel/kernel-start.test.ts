/**
 * How the kernel process starts: it holds its five ports from the start, while its compiler
 * warms, so that a front end retrying its connections in the meantime (as Jupyter's do) never
 * finds a port unbound, one it could take for itself by connecting to itself.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { KernelClient } from "../../cli/notebook/kernel-client.js";
import { startKernel, type KernelProcess } from "../../cli/notebook/kernel-process.js";
import type { ConnectionInfo } from "../../kernel/protocol/connection.js";

const READY = /\] started \(pid \d+\)/;
/** /proc/net/tcp's state of a listening socket. */
const LISTEN = "0A";

/** The loopback ports that have a listening socket, from /proc/net/tcp. */
function listeningPorts(): Set<number> {
  const ports = new Set<number>();
  for (const line of readFileSync("/proc/net/tcp", "utf8").split("\n").slice(1)) {
    const [, local, , state] = line.trim().split(/\s+/);
    if (local === undefined || state !== LISTEN) continue;
    ports.add(Number.parseInt(local.split(":")[1] ?? "", 16));
  }
  return ports;
}

function portsOf(connection: ConnectionInfo): number[] {
  const c = connection;
  return [c.shell_port, c.iopub_port, c.stdin_port, c.control_port, c.hb_port];
}

let folder: string | undefined;
let kernel: KernelProcess | undefined;
let client: KernelClient | undefined;

afterEach(() => {
  client?.close();
  kernel?.stop();
  if (folder !== undefined) rmSync(folder, { recursive: true, force: true });
  client = kernel = folder = undefined;
});

describe("the kernel's start", () => {
  it("listens on its five ports before it has warmed, and answers what came meanwhile once ready", async () => {
    folder = mkdtempSync(join(tmpdir(), "workgraph-kernel-start-"));
    // Handed back at once, not once the kernel says it is ready.
    const started = new AbortController();
    started.abort();
    kernel = await startKernel(folder, { signal: started.signal });
    let log = "";
    kernel.child.stderr?.on("data", (chunk: Buffer) => (log += chunk.toString()));
    const ports = portsOf(kernel.connection);
    let listening = false;
    while (!listening) {
      expect(kernel.child.exitCode, log).toBeNull();
      await new Promise((resolve) => setTimeout(resolve, 10));
      const open = listeningPorts();
      listening = ports.every((port) => open.has(port));
    }
    // Bound, and still warming a while later (the warm-up takes seconds; a kernel that bound
    // its ports only once warm says it is ready within a millisecond of listening): the line
    // that says it is ready has not come.
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(log).not.toMatch(READY);
    client = await KernelClient.connect(kernel.connection);
    await client.ready(60_000);
    expect(log).toMatch(READY);
  }, 90_000);
});
