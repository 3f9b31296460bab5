/**
 * Executes a notebook through the workgraph kernel, cell by cell, and fills in its outputs.
 * Each cell's streams are echoed as they arrive (report lines show live in the terminal).
 */
import { dirname, resolve } from "node:path";
import { CellOutputs, Displays } from "./cell-outputs.js";
import { KernelClient } from "./kernel-client.js";
import { startKernel } from "./kernel-process.js";
import { text, type Notebook } from "./nbformat.js";

/** How an execution went. */
export interface ExecutionOutcome {
  readonly notebook: Notebook;
  /** The index of the cell that raised an error, if one did (execution stops there). */
  readonly failedCell: number | undefined;
}

/** Options of {@link executeNotebook}. */
export interface ExecuteOptions {
  /** Where each stream chunk goes as it arrives; default: nowhere. */
  readonly echo?: (text: string, stream: "stdout" | "stderr") => void;
  /** Per-cell time limit in ms. */
  readonly cellTimeoutMs?: number;
}

/** Runs every code cell of the notebook at `file` (its folder is the kernel's working folder). */
export async function executeNotebook(
  file: string,
  nb: Notebook,
  options: ExecuteOptions = {},
): Promise<ExecutionOutcome> {
  const kernel = await startKernel(dirname(resolve(file)));
  const client = await KernelClient.connect(kernel.connection);
  const displays = new Displays();
  const cells = nb.cells.map((cell) => ({ ...cell }));
  let failedCell: number | undefined;
  try {
    await client.ready();
    let count = 0;
    for (const [index, cell] of cells.entries()) {
      if (cell.cell_type !== "code") continue;
      const outputs = new CellOutputs(displays);
      const reply = await withTimeout(
        client.request(
          "shell",
          "execute_request",
          {
            code: text(cell.source),
            silent: false,
            store_history: true,
            user_expressions: {},
            allow_stdin: false,
            stop_on_error: true,
          },
          (message) => {
            outputs.add(message);
            if (message.header.msg_type === "stream") {
              const c = message.content as { name?: string; text?: string };
              options.echo?.(String(c.text), c.name === "stderr" ? "stderr" : "stdout");
            }
          },
        ),
        options.cellTimeoutMs ?? 600_000,
        `cell ${index + 1}`,
      );
      count++;
      cells[index] = { ...cell, outputs: outputs.outputs, execution_count: count };
      if (reply.content.status !== "ok") {
        failedCell = index;
        break;
      }
    }
    await client.request("control", "shutdown_request", { restart: false }).catch(() => undefined);
  } finally {
    client.close();
    kernel.stop();
  }
  return { notebook: { ...nb, cells }, failedCell };
}

async function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`${what} did not finish within ${ms} ms`)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}
