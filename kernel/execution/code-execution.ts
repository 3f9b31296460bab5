/** What the kernel needs from a language: run a cell, complete, inspect, judge completeness. */
import type { CellDiagnostic } from "./diagnostics.js";

/** How a cell's code ended. */
export type ExecutionOutcome =
  | {
      readonly status: "ok";
      /** The value of the cell's last expression, when there is one (and it is not nullish). */
      readonly result?: { readonly value: unknown };
    }
  /** The cell did not type-check; nothing of it ran. */
  | { readonly status: "diagnostics"; readonly diagnostics: readonly CellDiagnostic[] }
  /** The cell threw (or its top-level await rejected) with `error`. */
  | { readonly status: "thrown"; readonly error: unknown }
  /** An interrupt stopped the cell. */
  | { readonly status: "interrupted" };

/** Completions for the identifier at a position; offsets are UTF-16 indexes into the code. */
export interface Completion {
  readonly start: number;
  readonly end: number;
  readonly matches: readonly string[];
}

/** Whether a cell is ready to run (for consoles deciding between Enter and a new line). */
export type Completeness =
  | { readonly status: "complete" }
  | { readonly status: "incomplete"; readonly indent: string }
  | { readonly status: "invalid" };

/** Runs cells of one language, keeping what earlier cells declared. */
export interface CodeExecution {
  /**
   * Runs `code`; resolves when it and its top-level awaits are done. `name` (e.g. `In[3]`)
   * names the cell in stack traces.
   */
  execute(code: string, name?: string): Promise<ExecutionOutcome>;
  complete(code: string, offset: number): Completion;
  /** Documentation of the symbol at `offset`, as plain text, if there is a symbol there. */
  inspect(code: string, offset: number): string | undefined;
  isComplete(code: string): Completeness;
  /** A stack from another process (a job's), with frames of functions defined in cells mapped. */
  mapStack(stack: string): string;
  /** Does, before the first cell comes, the work the first cells would wait for (once). */
  warmUp?(): void;
  /** Stops the awaiting cell (a synchronous loop is stopped by SIGINT itself). */
  interrupt(): void;
  close(): void;
}
