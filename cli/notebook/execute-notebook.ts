/**
 * Executes a notebook through the workgraph kernel, cell by cell, and fills in its outputs.
 * Each cell's streams are echoed as they arrive (report lines show live in the terminal).
 * A cell ends in one of four ways: its reply, the kernel process ending, the per-cell time
 * limit, or an abort (run-notebook's own SIGINT/SIGTERM); whichever comes first, the cells
 * run so far keep their outputs.
 */
import { dirname, resolve } from "node:path";
import { CellOutputs, Displays, LogEcho } from "./cell-outputs.js";
import { KernelClient } from "./kernel-client.js";
import { startKernel, type KernelExit, type KernelProcess } from "./kernel-process.js";
import * as messages from "./messages.js";
import { text, type Notebook, type Output } from "./nbformat.js";

/** Why execution stopped before the last cell. */
export type CellFailureKind = "error" | "died" | "timeout" | "interrupted";

/** The cell execution stopped at, and why. */
export interface CellFailure {
  readonly index: number;
  readonly kind: CellFailureKind;
  /** A line for a person, naming the cell. */
  readonly message: string;
  /** For `interrupted`: the abort's reason (the signal's name when a signal stopped it). */
  readonly reason?: string;
}

/** How an execution went. */
export interface ExecutionOutcome {
  readonly notebook: Notebook;
  /** Set when execution stopped early. */
  readonly failure: CellFailure | undefined;
  /** Lines about errors the notebook allowed (a `raises-exception` tag, `allowErrors`). */
  readonly allowedErrors: readonly string[];
}

/** Options of {@link executeNotebook}. */
export interface ExecuteOptions {
  /** Where each stream chunk goes as it arrives; default: nowhere. */
  readonly echo?: (text: string, stream: "stdout" | "stderr") => void;
  /** Per-cell time limit in ms; default: none. */
  readonly cellTimeoutMs?: number;
  /** Go on after a cell raises, as nbclient's `allow_errors`. */
  readonly allowErrors?: boolean;
  /** Aborting stops the kernel (and its jobs) at once; the outcome says which cell ran. */
  readonly signal?: AbortSignal;
}

/** The tag by which a cell says it is meant to raise (nbclient's convention). */
export const RAISES_EXCEPTION_TAG = "raises-exception";

type CellEnd =
  | { readonly kind: "reply"; readonly status: string }
  | { readonly kind: "died"; readonly exit: KernelExit }
  | { readonly kind: "timeout" }
  | { readonly kind: "interrupted"; readonly reason: string };

function tags(metadata: Readonly<Record<string, unknown>>): readonly unknown[] {
  return Array.isArray(metadata.tags) ? (metadata.tags as unknown[]) : [];
}

/** Runs every code cell of the notebook at `file` (its folder is the kernel's working folder). */
export async function executeNotebook(
  file: string,
  nb: Notebook,
  options: ExecuteOptions = {},
): Promise<ExecutionOutcome> {
  const kernel = await startKernel(dirname(resolve(file)), { signal: options.signal });
  const client = await KernelClient.connect(kernel.connection);
  const cells = nb.cells.map((cell) => ({ ...cell }));
  const allowedErrors: string[] = [];
  let failure: CellFailure | undefined;
  let alive = true;
  void kernel.exited.then(() => (alive = false));
  try {
    const ready = await Promise.race([
      client.ready().then(() => undefined),
      ending(kernel, options.signal),
    ]);
    if (ready !== undefined) {
      return { notebook: nb, failure: startFailure(ready), allowedErrors };
    }
    const displays = new Displays();
    const logEcho = new LogEcho();
    let count = 0;
    for (const [index, cell] of cells.entries()) {
      if (cell.cell_type !== "code") continue;
      const source = text(cell.source);
      const name = messages.cellName(index, source);
      const mayRaise =
        options.allowErrors === true || tags(cell.metadata).includes(RAISES_EXCEPTION_TAG);
      const outputs = new CellOutputs(displays);
      let raised: { ename: string; evalue: string } | undefined;
      const reply = client
        .request(
          "shell",
          "execute_request",
          {
            code: source,
            silent: false,
            store_history: true,
            user_expressions: {},
            allow_stdin: false,
            stop_on_error: !mayRaise,
          },
          (message) => {
            outputs.add(message);
            const c = message.content as {
              name?: string;
              text?: string;
              ename?: string;
              evalue?: string;
            };
            if (message.header.msg_type === "error")
              raised = { ename: String(c.ename), evalue: String(c.evalue) };
            if (message.header.msg_type === "stream") {
              options.echo?.(String(c.text), c.name === "stderr" ? "stderr" : "stdout");
            }
            const logged = logEcho.add(message);
            if (logged !== "") options.echo?.(logged, "stdout");
          },
        )
        .then((m): CellEnd => ({ kind: "reply", status: String(m.content.status) }));
      const end = await withTimeout(
        Promise.race([reply, ending(kernel, options.signal)]),
        options.cellTimeoutMs,
      );
      count++;
      const extra = endOutput(end, options.cellTimeoutMs);
      cells[index] = {
        ...cell,
        outputs: extra === undefined ? outputs.outputs : [...outputs.outputs, extra],
        execution_count: count,
      };
      if (end.kind === "reply" && end.status === "ok") continue;
      if (end.kind === "reply") {
        const { ename, evalue } = raised ?? { ename: "Error", evalue: "(no error message)" };
        if (mayRaise) {
          allowedErrors.push(messages.cellRaisedAllowed(name, ename, evalue));
          continue;
        }
        failure = { index, kind: "error", message: messages.cellRaised(name, ename, evalue) };
      } else {
        failure = {
          index,
          kind: end.kind,
          message: failureMessage(end, name, options.cellTimeoutMs),
          ...(end.kind === "interrupted" ? { reason: end.reason } : {}),
        };
      }
      break;
    }
    if (alive && (failure === undefined || failure.kind === "error")) {
      const bye = client
        .request("control", "shutdown_request", { restart: false })
        .catch(() => undefined);
      await Promise.race([bye, kernel.exited, sleep(2000)]);
    }
  } finally {
    client.close();
    kernel.stop();
  }
  return { notebook: { ...nb, cells }, failure, allowedErrors };
}

/** Resolves when the kernel process ends or `signal` aborts, whichever comes first. */
function ending(kernel: KernelProcess, signal: AbortSignal | undefined): Promise<CellEnd> {
  const died = kernel.exited.then((exit): CellEnd => ({ kind: "died", exit }));
  if (signal === undefined) return died;
  const aborted = new Promise<CellEnd>((resolve) => {
    const onAbort = () => resolve({ kind: "interrupted", reason: String(signal.reason) });
    if (signal.aborted) onAbort();
    else signal.addEventListener("abort", onAbort, { once: true });
  });
  return Promise.race([died, aborted]);
}

async function withTimeout(promise: Promise<CellEnd>, ms: number | undefined): Promise<CellEnd> {
  if (ms === undefined) return promise;
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<CellEnd>((resolve) => {
        timer = setTimeout(() => resolve({ kind: "timeout" }), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

function failureMessage(
  end: Exclude<CellEnd, { kind: "reply" }>,
  cell: string,
  timeoutMs?: number,
): string {
  switch (end.kind) {
    case "died":
      return messages.kernelDied(cell, end.exit.code, end.exit.signal);
    case "timeout":
      return messages.cellTimedOut(cell, (timeoutMs ?? 0) / 1000);
    case "interrupted":
      return messages.runInterrupted(cell, end.reason);
  }
}

/** The error output a cell gets when it did not end with a reply (nbclient's error names). */
function endOutput(end: CellEnd, timeoutMs: number | undefined): Output | undefined {
  if (end.kind === "reply") return undefined;
  const [ename, evalue] =
    end.kind === "died"
      ? [
          "DeadKernelError",
          end.exit.signal !== null ? `killed by ${end.exit.signal}` : `exit code ${end.exit.code}`,
        ]
      : end.kind === "timeout"
        ? ["CellTimeoutError", `did not finish within ${(timeoutMs ?? 0) / 1000} s`]
        : ["KeyboardInterrupt", end.reason];
  return { output_type: "error", ename, evalue, traceback: [`${ename}: ${evalue}`] };
}

function startFailure(end: CellEnd): CellFailure {
  const problem =
    end.kind === "died"
      ? `exit code ${end.exit.code}${end.exit.signal !== null ? `, ${end.exit.signal}` : ""}\n${end.exit.log}`
      : end.kind === "interrupted"
        ? end.reason
        : "no answer";
  return {
    index: -1,
    kind: end.kind === "interrupted" ? "interrupted" : "died",
    message: messages.kernelNotReady(problem),
  };
}
