/** Runs Debian's Python (where the Jupyter clients are installed), never the one on PATH. */
import { spawn } from "node:child_process";

/** The interpreter that has jupyter_client, nbclient and jupyter_kernel_test. */
export const PYTHON = "/usr/bin/python3";

/** What a finished process printed, and how it ended. */
export interface Finished {
  readonly code: number | null;
  readonly output: string;
}

/** Runs a command; resolves with its exit code and its stdout and stderr, interleaved. */
export function runProcess(
  command: string,
  args: readonly string[],
  options: { cwd: string; env: NodeJS.ProcessEnv; timeoutMs: number },
): Promise<Finished> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, env: options.env });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    const timer = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}
