/**
 * Jupyter `error` content (ename, evalue, traceback) for each way a cell can fail. Front ends
 * show the traceback only, so its first line names the error.
 */
import { inspect } from "node:util";
import type { CellDiagnostic } from "../execution/diagnostics.js";
import * as messages from "../messages.js";
import { packageRoot } from "../package-root.js";

/** The content of an `error` message and of an error reply. */
export interface ErrorContent {
  readonly ename: string;
  readonly evalue: string;
  readonly traceback: readonly string[];
}

/** TypeScript diagnostics: each with its position, the line of code and a caret under it. */
export function diagnosticsError(
  code: string,
  diagnostics: readonly CellDiagnostic[],
): ErrorContent {
  const lines = code.split("\n");
  const traceback = diagnostics.flatMap((d) => {
    const where = `${d.file ?? "cell"}:${d.line}:${d.column}`;
    const head = `${where} - error TS${d.code}: ${d.message}`;
    const source = d.file === undefined ? lines[d.line - 1] : undefined;
    return source === undefined
      ? [head]
      : [head, `    ${source}`, `    ${" ".repeat(Math.max(0, d.column - 1))}^`];
  });
  const first = diagnostics[0];
  const more = diagnostics.length > 1 ? ` (and ${diagnostics.length - 1} more)` : "";
  return {
    ename: "TypeScriptError",
    evalue: first !== undefined ? `${first.message}${more}` : "",
    traceback,
  };
}

/**
 * A value the cell threw: its stack without the kernel's, the engine's or Node's own frames,
 * and its causes. `mapStack` maps frames of other processes (jobs) back to cells.
 */
export function thrownError(
  error: unknown,
  mapStack: (stack: string) => string = (stack) => stack,
): ErrorContent {
  if (!(error instanceof Error)) {
    const text = inspect(error);
    return { ename: "Uncaught", evalue: text, traceback: [`Uncaught ${text}`] };
  }
  const traceback: string[] = [];
  let cause: unknown = error;
  for (let depth = 0; cause instanceof Error && depth < 5; depth++) {
    if (depth > 0) traceback.push("", "Caused by:");
    traceback.push(...userFrames(cause, mapStack));
    cause = cause.cause;
  }
  if (cause !== undefined && !(cause instanceof Error)) {
    traceback.push("", `Caused by: ${inspect(cause)}`);
  }
  return { ename: error.name, evalue: error.message, traceback };
}

/** An interrupt stopped the cell. */
export function interruptedError(): ErrorContent {
  return {
    ename: "InterruptedError",
    evalue: messages.interrupted,
    traceback: [messages.interrupted],
  };
}

/** The stack up to the frame where the kernel called the cell's code, without our frames. */
function userFrames(error: Error, mapStack: (stack: string) => string): string[] {
  let stack = mapStack(error.stack ?? `${error.name}: ${error.message}`).split("\n");
  // Errors thrown straight out of vm code get the source line and a caret prepended.
  const head = stack.findIndex((line) => line.startsWith(error.name));
  if (head > 0) stack = stack.slice(head);
  const machinery = stack.findIndex((line) =>
    /\(node:vm[:)]|at Script\.runInThisContext/.test(line),
  );
  const frames = machinery > 0 ? stack.slice(0, machinery) : stack;
  return frames.filter((line) => !isFrame(line) || !isOurs(line));
}

const FRAME = /^\s+at /;
/** This package's code (built or source) and Node's internals: what the user did not write. */
const OURS = new RegExp(
  [
    `${escape(packageRoot(import.meta.url))}/(?:dist/)?(?:engine|kernel|widgets|cli)/`,
    "\\(node:(?:internal|async_hooks|events|child_process)[/:]",
    "at node:(?:internal|async_hooks|events|child_process)[/:]",
  ].join("|"),
);

function isFrame(line: string): boolean {
  return FRAME.test(line);
}

function isOurs(line: string): boolean {
  return OURS.test(line.replace("file://", ""));
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
