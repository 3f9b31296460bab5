#!/usr/bin/env node
/**
 * The kernel process: `node dist/kernel/main.js <connection file>`, as the kernelspec says.
 * It wires the pieces (see the diagram in runtime/kernel.ts) and owns the process: signals,
 * uncaught errors, exit, and ending when its parent (the front end) is gone.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { createLazyExecution } from "./execution/lazy-execution.js";
import { typescriptVersion } from "./execution/typescript-version.js";
import * as messages from "./messages.js";
import { packageRoot } from "./package-root.js";
import { endpoint, readConnectionFile } from "./protocol/connection.js";
import { createReceiver } from "./protocol/receiver.js";
import { createSession } from "./protocol/session.js";
import { createSigner } from "./protocol/signer.js";
import { createZmqTransport, type Transport } from "./protocol/transport.js";
import { currentCell } from "./runtime/cell-storage.js";
import { createKernel } from "./runtime/kernel.js";
import { kernelInfo } from "./runtime/kernel-info.js";
import { routeProcessOutput } from "./runtime/output-routing.js";
import { viewBundles } from "./runtime/view-bundles.js";
import { reportUncaught } from "./runtime/uncaught.js";

// Bound before output routing: the kernel's log always goes to the real stderr.
const writeLog = process.stderr.write.bind(process.stderr);
const log = (line: string) => void writeLog(`[workgraph kernel] ${line}\n`);

async function main(connectionFile: string | undefined): Promise<void> {
  if (connectionFile === undefined) throw new Error("usage: main.js <connection file>");
  const connection = await readConnectionFile(connectionFile);
  const signer = createSigner(connection.key, connection.signature_scheme);
  const wire: { transport?: Transport } = {};
  const outbox = createSession(signer, (channel, frames) => wire.transport?.send(channel, frames));
  const execution = createLazyExecution(async () => {
    const [{ createTsExecution }, notebook] = await Promise.all([
      import("./execution/tslab-execution.js"),
      import("./notebook.js"),
    ]);
    const types = fileURLToPath(new URL("./notebook.js", import.meta.url));
    return createTsExecution({
      modules: new Map([
        ["workgraph", { exports: notebook, types }],
        // The other entries load when a cell first imports them.
        ["workgraph/widgets", providedEntry("../widgets/index.js")],
        ["workgraph/plumbing", providedEntry("../engine/plumbing.js")],
      ]),
    });
  });
  const kernel = createKernel({
    outbox,
    execution,
    live: { bundles: viewBundles() },
    info: kernelInfo(packageVersion(), typescriptVersion()),
    log,
    shutdown: () => void exit(wire.transport),
  });
  routeProcessOutput(currentCell);
  process.on("uncaughtException", (error) => reportUncaught("Uncaught", error));
  process.on("unhandledRejection", (reason) => reportUncaught("Unhandled rejection", reason));
  process.on("SIGINT", () => kernel.interrupt());
  // A kernel whose front end is gone (killed, crashed) ends, even in the middle of a cell or
  // of the warm-up; its job workers, watching it in turn, follow.
  const { watchParent } = await import("../engine/plumbing.js");
  watchParent();
  // The compiler and the engine load, and the compiler is warmed, while the sockets are
  // already bound. A front end connects as soon as it has started the kernel and retries
  // every ~100 ms; while a loopback port is unbound, one of those tries can be given that very
  // port as its own and connect to itself (a TCP self-connect): the kernel then cannot bind
  // it, or never hears that client. So the ports are held from the start, and what arrives
  // waits for the warm-up: the first kernel_info still answers a kernel whose first cell runs
  // at once. A failed load is reported to the first request that needs the execution.
  const warm = execution.get().then(
    (ready) => ready.warmUp?.(),
    () => {},
  );
  const receive = createReceiver(signer, kernel.receive, log);
  wire.transport = await createZmqTransport(
    connection,
    (channel, frames) => warm.then(() => receive(channel, frames)),
    (channel, error) => log(`${channel}: ${String(error)}`),
  );
  await warm;
  outbox.publish(undefined, "status", { execution_state: "starting" });
  log(messages.started(process.pid, endpoint(connection, "shell"), process.cwd()));
}

/** A package entry of this copy, loaded on first `require` (an ES module, shared with import). */
function providedEntry(relative: string): { readonly exports: unknown; readonly types: string } {
  const types = fileURLToPath(new URL(relative, import.meta.url));
  return {
    get exports(): unknown {
      return createRequire(import.meta.url)(types) as unknown;
    },
    types,
  };
}

/** Exits within a second whatever handles are open, after queued messages had a chance. */
async function exit(transport: Transport | undefined): Promise<never> {
  setTimeout(() => process.exit(0), 800).unref();
  await transport?.close(200);
  process.exit(0);
}

function packageVersion(): string {
  const manifest = join(packageRoot(import.meta.url), "package.json");
  return (JSON.parse(readFileSync(manifest, "utf8")) as { version?: string }).version ?? "0.0.0";
}

main(process.argv[2]).catch((error: unknown) => {
  log(messages.startFailed(error instanceof Error ? error.message : String(error)));
  process.exit(1);
});
