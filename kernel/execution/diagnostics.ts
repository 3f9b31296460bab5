/** TypeScript diagnostics of a cell, in the shape the kernel reports them. */

/** One diagnostic, with 1-based line and column in the cell (or in `file`). */
export interface CellDiagnostic {
  readonly line: number;
  readonly column: number;
  readonly message: string;
  /** The TypeScript error code, e.g. 2304. */
  readonly code: number;
  /** Set when the diagnostic is in another file of the notebook's folder. */
  readonly file?: string;
}

/** tslab's diagnostic shape (0-based positions). */
export interface TslabDiagnostic {
  readonly start: { readonly line: number; readonly character: number };
  readonly messageText: string;
  readonly code: number;
  readonly fileName?: string;
}

/** Converts tslab's diagnostics. */
export function toCellDiagnostics(diagnostics: readonly TslabDiagnostic[]): CellDiagnostic[] {
  return diagnostics.map((d) => ({
    line: d.start.line + 1,
    column: d.start.character + 1,
    message: d.messageText,
    code: d.code,
    ...(d.fileName !== undefined ? { file: d.fileName } : {}),
  }));
}
