/**
 * Starts the workgraph kernel as a child process with a fresh connection file: free loopback
 * ports and a random signing key, as a Jupyter front end would. The kernel leads a process
 * group of its own, so stopping it stops its job workers too.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { rmSync } from "node:fs";
import { join } from "node:path";
import type { ConnectionInfo } from "../../kernel/protocol/connection.js";
import { writeFreshConnection } from "../../kernel/protocol/connection-file.js";
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

/** Starts a kernel whose working folder is `cwd` (a notebook's folder). */
export async function startKernel(cwd: string): Promise<KernelProcess> {
  const { connection, folder, file } = await writeFreshConnection("workgraph-kernel-");
  const main = join(packageRoot(import.meta.url), "dist", "kernel", "main.js");
  const child = spawn(process.execPath, [main, file], {
    cwd,
    stdio: ["ignore", "inherit", "pipe"],
    // A group of its own: Ctrl-C in the terminal reaches run-notebook, which decides, and
    // stop() can kill the kernel with every job worker it started.
    detached: true,
  });
  let log = "";
  child.stderr?.on("data", (chunk: Buffer) => (log = (log + chunk.toString()).slice(-4000)));
  const exited = new Promise<KernelExit>((resolve) => {
    child.once("exit", (code, signal) => resolve({ code, signal, log }));
  });
  // Whatever ends run-notebook (an error, process.exit), the kernel's group goes with it.
  const killGroup = () => signalGroup(child.pid, "SIGKILL");
  process.once("exit", killGroup);
  return {
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
}
