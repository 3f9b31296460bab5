/**
 * Completion and quick info in a cell, from the cell program at the cursor. Both call the
 * services of tslab's TypeScript fork that need no language service host (the fork exports
 * them for this).
 */
import type * as TypeScript from "@tslab/typescript-for-tslab";
import type { ProgramPosition } from "./cell-compiler.js";
import type { Completion } from "./code-execution.js";

interface ForkServices {
  getQuickInfoAtPosition(
    file: TypeScript.SourceFile,
    checker: TypeScript.TypeChecker,
    cancellation: TypeScript.CancellationToken,
    position: number,
  ): TypeScript.QuickInfo | undefined;
  Completions: {
    getCompletionsAtPositionForTslab(
      host: object,
      program: TypeScript.Program,
      log: (message: string) => void,
      file: TypeScript.SourceFile,
      position: number,
      preferences: TypeScript.UserPreferences,
      triggerCharacter: undefined,
      kind: TypeScript.CompletionTriggerKind,
      cancellation: TypeScript.CancellationToken,
    ): TypeScript.CompletionInfo | undefined;
  };
}

const neverCancelled: TypeScript.CancellationToken = {
  isCancellationRequested: () => false,
  throwIfCancellationRequested: () => {},
};

const IDENTIFIER_PART = /[\p{ID_Continue}$\u200c\u200d]/u;

/** What the symbol at the position is, with its span in the cell. */
export function quickInfo(
  ts: typeof TypeScript,
  at: ProgramPosition,
): TypeScript.QuickInfo | undefined {
  const fork = ts as unknown as ForkServices;
  const info = fork.getQuickInfoAtPosition(
    at.file,
    at.program.getTypeChecker(),
    neverCancelled,
    at.position,
  );
  if (info === undefined) return undefined;
  return { ...info, textSpan: { ...info.textSpan, start: info.textSpan.start - at.shift } };
}

/**
 * Names that may complete the identifier at the position (or start one there): those that
 * begin with what is typed first, then those that begin with it ignoring case, then those that
 * contain it; in TypeScript's own order within each.
 */
export function cellCompletions(
  ts: typeof TypeScript,
  at: ProgramPosition,
  code: string,
): Completion {
  const fork = ts as unknown as ForkServices;
  const info = fork.Completions.getCompletionsAtPositionForTslab(
    {},
    at.program,
    () => {},
    at.file,
    at.position,
    {},
    undefined,
    ts.CompletionTriggerKind.Invoked,
    neverCancelled,
  );
  const cursor = at.position - at.shift;
  let start = cursor;
  while (start > 0 && IDENTIFIER_PART.test(code[start - 1] ?? "")) start--;
  let end = cursor;
  while (end < code.length && IDENTIFIER_PART.test(code[end] ?? "")) end++;
  const typed = code.slice(start, cursor);
  const lower = typed.toLowerCase();
  const rank = (name: string): number => {
    if (name.startsWith(typed)) return 0;
    const lowered = name.toLowerCase();
    if (lowered.startsWith(lower)) return 1;
    return lowered.includes(lower) ? 2 : 3;
  };
  const matches = (info?.entries ?? [])
    .map((entry, index) => ({
      name: entry.name,
      rank: rank(entry.name),
      sort: entry.sortText,
      index,
    }))
    .filter((entry) => entry.rank < 3)
    .sort((a, b) => a.rank - b.rank || a.sort.localeCompare(b.sort) || a.index - b.index)
    .map((entry) => entry.name);
  return { start, end, matches };
}
