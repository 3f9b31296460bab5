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
  return {
    connection,
    stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
      rmSync(folder, { recursive: true, force: true });
    },
  };
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
