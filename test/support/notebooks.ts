/**
 * Notebooks that tests write and execute: a notebook of code cells for the workgraph kernel, a
 * scratch folder per test file (with the kernel installed under a Jupyter prefix of its own),
 * and execution under Jupyter's nbclient (Debian's nbconvert) or `workgraph run-notebook`.
 */
import { spawnSync, type SpawnSyncReturns } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll } from "vitest";
import { installKernel } from "../../kernel/install.js";
import { root } from "./built.js";

/** A notebook's JSON text: one code cell per source, for the workgraph kernel. */
export function notebookJson(
  cells: readonly string[],
  options: { readonly languageInfo?: boolean } = {},
): string {
  return JSON.stringify({
    cells: cells.map((source, i) => ({
      cell_type: "code",
      execution_count: null,
      metadata: {},
      outputs: [],
      source,
      id: `cell-${i}`,
    })),
    metadata: {
      kernelspec: {
        display_name: "TypeScript (workgraph)",
        language: "typescript",
        name: "workgraph",
      },
      ...(options.languageInfo === true
        ? { language_info: { name: "typescript", file_extension: ".ts" } }
        : {}),
    },
    nbformat: 4,
    nbformat_minor: 5,
  });
}

/** One test file's scratch folder for notebooks. */
export interface NotebookScratch {
  readonly folder: string;
  /** The `WORKGRAPH_HOME` of what runs there. */
  readonly home: string;
  /** The environment notebooks run in: that home, and the kernel's Jupyter prefix if any. */
  readonly env: NodeJS.ProcessEnv;
}

/**
 * A scratch folder named `prefix…` for the notebooks of a test file, removed after its tests
 * (after `cleanup`, when given). With `kernel`, the workgraph kernel is installed under a
 * Jupyter prefix in it before the tests, for nbclient.
 */
export function useNotebookScratch(
  prefix: string,
  options: { readonly kernel?: boolean; readonly cleanup?: () => Promise<void> } = {},
): NotebookScratch {
  const folder = mkdtempSync(join(tmpdir(), prefix));
  const home = join(folder, "home");
  const jupyter = join(folder, "prefix");
  const kernel = options.kernel ?? true;
  const env = {
    ...process.env,
    ...(kernel ? { JUPYTER_PATH: join(jupyter, "share", "jupyter") } : {}),
    WORKGRAPH_HOME: home,
  };
  if (kernel) {
    beforeAll(async () => {
      await installKernel({ scope: { kind: "prefix", prefix: jupyter } });
    });
  }
  afterAll(async () => {
    await options.cleanup?.();
    rmSync(folder, { recursive: true, force: true });
  });
  return { folder, home, env };
}

/**
 * The arguments of `jupyter nbconvert` that execute `file` with the workgraph kernel under
 * nbclient, each cell limited to `timeoutSeconds`, writing `folder/output`.
 */
export function nbconvertArgs(
  folder: string,
  output: string,
  file: string,
  timeoutSeconds: number,
): string[] {
  return [
    "nbconvert",
    "--to",
    "notebook",
    "--execute",
    "--ExecutePreprocessor.kernel_name=workgraph",
    `--ExecutePreprocessor.timeout=${timeoutSeconds}`,
    "--output-dir",
    folder,
    "--output",
    output,
    file,
  ];
}

/**
 * Executes `file` under nbclient with the workgraph kernel, writing the executed notebook as
 * `output` in the scratch folder.
 */
export function executeWithNbclient(
  scratch: NotebookScratch,
  file: string,
  output: string,
  options: { readonly timeoutSeconds?: number; readonly cwd?: string } = {},
): SpawnSyncReturns<string> {
  return spawnSync(
    "/usr/bin/jupyter",
    nbconvertArgs(scratch.folder, output, file, options.timeoutSeconds ?? 120),
    {
      env: scratch.env,
      encoding: "utf8",
      ...(options.cwd !== undefined ? { cwd: options.cwd } : {}),
    },
  );
}

/** Runs `workgraph run-notebook` (the built command) with these arguments. */
export function executeWithRunNotebook(
  scratch: NotebookScratch,
  args: readonly string[],
  options: { readonly cwd?: string } = {},
): SpawnSyncReturns<string> {
  return spawnSync(
    process.execPath,
    [join(root, "dist", "cli", "main.js"), "run-notebook", ...args],
    {
      env: scratch.env,
      encoding: "utf8",
      ...(options.cwd !== undefined ? { cwd: options.cwd } : {}),
    },
  );
}
