/**
 * The kernels the kernel bench compares, each started as Jupyter starts it: a fresh connection
 * file with free loopback ports and a random key. Ours, tslab's own (the dependency's
 * `tslab kernel`) and IPython (Debian's python3-ipykernel).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { rmSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import type { ConnectionInfo } from "../kernel/protocol/connection.js";
import { writeFreshConnection } from "../kernel/protocol/connection-file.js";
import { packageRoot } from "../kernel/package-root.js";

/** The kernels compared. */
export type KernelKind = "workgraph" | "tslab" | "ipython";

/** A started kernel process. */
export interface BenchKernel {
  readonly connection: ConnectionInfo;
  /**
   * Rejects if the process exits before it is stopped: a kernel that lost the race for one of
   * its ports (picked free, taken by another process before it bound) exits at once.
   */
  readonly exited: Promise<never>;
  /** Kills the process and removes its connection file. */
  stop(): void;
}

/** Debian's interpreter, where ipykernel is installed (not the one on PATH). */
const PYTHON = "/usr/bin/python3";

/** Starts a kernel of `kind` in `cwd`; `scratch` holds its connection file and Python's state. */
export async function startBenchKernel(kind: KernelKind, cwd: string): Promise<BenchKernel> {
  const { connection, folder, file } = await writeFreshConnection("workgraph-bench-kernel-");
  const [command, ...args] = commandLine(kind, file);
  const child: ChildProcess = spawn(command ?? "", args, {
    cwd,
    stdio: "ignore",
    env: { ...process.env, IPYTHONDIR: join(folder, "ipython"), JUPYTER_RUNTIME_DIR: folder },
  });
  const exited = new Promise<never>((_, reject) => {
    child.once("exit", (code, signal) =>
      reject(new KernelExitedError(`the ${kind} kernel exited (${signal ?? `code ${code}`})`)),
    );
  });
  exited.catch(() => undefined);
  return {
    connection,
    exited,
    stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
      rmSync(folder, { recursive: true, force: true });
    },
  };
}

/** A kernel process that ended before it was stopped. */
export class KernelExitedError extends Error {
  override readonly name = "KernelExitedError";
}

function commandLine(kind: KernelKind, connectionFile: string): string[] {
  switch (kind) {
    case "workgraph":
      return [
        process.execPath,
        join(packageRoot(import.meta.url), "dist", "kernel", "main.js"),
        connectionFile,
      ];
    case "tslab": {
      const tslab = dirname(createRequire(import.meta.url).resolve("tslab/package.json"));
      return [
        process.execPath,
        join(tslab, "bin", "tslab"),
        "kernel",
        "--config-path",
        connectionFile,
      ];
    }
    case "ipython":
      return [PYTHON, "-m", "ipykernel_launcher", "-f", connectionFile];
  }
}
