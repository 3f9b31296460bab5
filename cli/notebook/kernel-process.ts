/**
 * Starts the workgraph kernel as a child process with a fresh connection file: free loopback
 * ports and a random signing key, as a Jupyter front end would. The kernel leads a process
 * group of its own, so stopping it stops its job workers too.
 *
 * The ports are free when chosen but bound by the kernel a moment later: another process may
 * take one in between. A kernel that ends because an address was in use before it was
 * listening is started again on fresh ports (as Jupyter's own launcher does).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { rmSync } from "node:fs";
import { join } from "node:path";
import type { ConnectionInfo } from "../../kernel/protocol/connection.js";
import {
  writeFreshConnection,
  type FreshConnection,
} from "../../kernel/protocol/connection-file.js";
import { packageRoot } from "../../kernel/package-root.js";

/** How the kernel process ended. */
export interface KernelExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  /** The end of what it wrote on stderr. */
  readonly log: string;
}

/** A running kernel process and how to reach it. */
export interface KernelProcess {
  readonly connection: ConnectionInfo;
  readonly child: ChildProcess;
  /** Resolves when the kernel process has ended, however it ended. */
  readonly exited: Promise<KernelExit>;
  /** Sends SIGINT to the kernel (what Jupyter's interrupt does). */
  interrupt(): void;
  /** Kills the kernel's whole process group (if still alive) and removes its connection file. */
  stop(): void;
}

/** Sends `signal` to the process group led by `pid`; a group already gone is no error. */
function signalGroup(pid: number | undefined, signal: NodeJS.Signals): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, signal);
  } catch {
    // ESRCH: every process of the group has ended
  }
}

/** How many times a kernel that found a port taken is started on fresh ports. */
const PORT_ATTEMPTS = 5;

/** What the kernel logs once it is ready: sockets bound, compiler warm (see messages.started). */
const LISTENING = /\] started \(pid \d+\)/;
/** What the kernel logs when a port it was given is taken. */
const ADDRESS_IN_USE = /address already in use/i;

/** How a kernel is started; `connect` writes its connection file (fresh ports by default). */
export interface StartKernelOptions {
  readonly connect?: () => Promise<FreshConnection>;
  /** Once aborted, the kernel is handed back as it is, without waiting for it to listen. */
  readonly signal?: AbortSignal | undefined;
}

/**
 * Starts a kernel whose working folder is `cwd` (a notebook's folder). Resolves once it
 * listens, has ended (for a reason other than a taken port) or `signal` is aborted.
 */
export async function startKernel(
  cwd: string,
  options: StartKernelOptions = {},
): Promise<KernelProcess> {
  const connect = options.connect ?? (() => writeFreshConnection("workgraph-kernel-"));
  for (let attempt = 1; ; attempt++) {
    const started = spawnKernel(cwd, await connect());
    const aborted = new Promise<"aborted">((resolve) => {
      if (options.signal?.aborted === true) resolve("aborted");
      options.signal?.addEventListener("abort", () => resolve("aborted"), { once: true });
    });
    const outcome = await Promise.race([started.listening, started.closed, aborted]);
    if (outcome === "listening" || outcome === "aborted") return started.kernel;
    const portTaken = ADDRESS_IN_USE.test(outcome) && !LISTENING.test(outcome);
    if (!portTaken || attempt === PORT_ATTEMPTS) return started.kernel;
    started.kernel.stop();
  }
}

/**
 * Spawns the kernel on `fresh`; `listening` resolves once it has bound its sockets, `closed`
 * with its whole log once it has ended and its stderr is read to the end.
 */
function spawnKernel(
  cwd: string,
  fresh: FreshConnection,
): { kernel: KernelProcess; listening: Promise<"listening">; closed: Promise<string> } {
  const { connection, folder, file } = fresh;
  const main = join(packageRoot(import.meta.url), "dist", "kernel", "main.js");
  const child = spawn(process.execPath, [main, file], {
    cwd,
    stdio: ["ignore", "inherit", "pipe"],
    // A group of its own: Ctrl-C in the terminal reaches run-notebook, which decides, and
    // stop() can kill the kernel with every job worker it started.
    detached: true,
  });
  let log = "";
  let heard: (value: "listening") => void = () => {};
  const listening = new Promise<"listening">((resolve) => (heard = resolve));
  child.stderr?.on("data", (chunk: Buffer) => {
    log = (log + chunk.toString()).slice(-4000);
    if (LISTENING.test(log)) heard("listening");
  });
  const exited = new Promise<KernelExit>((resolve) => {
    child.once("exit", (code, signal) => resolve({ code, signal, log }));
  });
  const closed = new Promise<string>((resolve) => child.once("close", () => resolve(log)));
  // Whatever ends run-notebook (an error, process.exit), the kernel's group goes with it.
  const killGroup = () => signalGroup(child.pid, "SIGKILL");
  process.once("exit", killGroup);
  const kernel: KernelProcess = {
    connection,
    child,
    exited,
    interrupt() {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGINT");
    },
    stop() {
      killGroup();
      process.off("exit", killGroup);
      rmSync(folder, { recursive: true, force: true });
    },
  };
  return { kernel, listening, closed };
}
