/** Runs the built `workgraph` command in a child process and collects what it printed. */
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { built, root } from "../../support/built.js";

/** How a run of the command ended. */
export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `workgraph ...args` with WORKGRAPH_HOME = `home`. */
export async function workgraphCli(home: string, ...args: string[]): Promise<CliResult> {
  try {
    const { stdout, stderr } = await promisify(execFile)(
      process.execPath,
      [built("cli/main.js"), ...args],
      { cwd: root, env: { ...process.env, WORKGRAPH_HOME: home } },
    );
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}
