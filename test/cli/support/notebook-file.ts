/** Writing small notebooks for tests, and running `workgraph run-notebook` on them. */
import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { built, root } from "../../support/built.js";

/** A cell: code (a string, or with tags) or markdown. */
export type TestCell =
  | string
  | { readonly code: string; readonly tags?: readonly string[] }
  | { readonly markdown: string };

/** Writes a notebook with these cells to `dir/name.ipynb`; returns its path. */
export function writeNotebook(dir: string, name: string, cells: readonly TestCell[]): string {
  const file = join(dir, `${name}.ipynb`);
  const nbCells = cells.map((cell) =>
    typeof cell !== "string" && "markdown" in cell
      ? { cell_type: "markdown", metadata: {}, source: cell.markdown }
      : {
          cell_type: "code",
          metadata: typeof cell === "string" || cell.tags === undefined ? {} : { tags: cell.tags },
          source: typeof cell === "string" ? cell : cell.code,
          outputs: [],
          execution_count: null,
        },
  );
  writeFileSync(
    file,
    JSON.stringify({ nbformat: 4, nbformat_minor: 5, metadata: {}, cells: nbCells }),
  );
  return file;
}

/** A running `workgraph run-notebook`. */
export interface RunningNotebook {
  readonly child: ChildProcess;
  /** Resolves when it has ended, with its exit code or signal and everything it printed. */
  readonly ended: Promise<{
    code: number | null;
    signal: NodeJS.Signals | null;
    stdout: string;
    stderr: string;
  }>;
}

/** Starts `workgraph run-notebook ...args` with WORKGRAPH_HOME = `home`. */
export function startRunNotebook(home: string, args: readonly string[]): RunningNotebook {
  const child = spawn(process.execPath, [built("cli/main.js"), "run-notebook", ...args], {
    cwd: root,
    env: { ...process.env, WORKGRAPH_HOME: home },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout?.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  // 'exit', not 'close': a leaked grandchild holding the pipes must not hide the exit.
  const ended = once(child, "exit").then(([code, signal]) => ({
    code: code as number | null,
    signal: signal as NodeJS.Signals | null,
    stdout,
    stderr,
  }));
  return { child, ended };
}
