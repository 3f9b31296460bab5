/**
 * Positions in a cell's compiled JavaScript, mapped back to the cell's TypeScript. tslab's
 * compiler emits no source map, but compiling keeps the order of the tokens that remain
 * (identifiers, literals, keywords, punctuation) and drops or adds a few (types, `exports.`),
 * so the longest common subsequence of the two token lists pairs each kept token with its
 * source.
 */
import type * as TypeScript from "@tslab/typescript-for-tslab";

/** A 1-based line and column. */
export interface Position {
  readonly line: number;
  readonly column: number;
}

/** Maps a position in `compiled` to the position in `source` it came from. */
export type PositionMap = (position: Position) => Position | undefined;

/** Past this many token pairs (about 2,000 × 2,000) the table would cost too much memory. */
const MAX_PAIRS = 4_000_000;

interface Token {
  readonly text: string;
  readonly offset: number;
}

/** Builds the map, lazily: the tables are computed on the first lookup. */
export function compiledPositions(
  ts: typeof TypeScript,
  source: string,
  compiled: string,
): PositionMap {
  let pairs: Map<number, number> | undefined;
  let compiledTokens: Token[] = [];
  let sourceTokens: Token[] = [];
  return (position) => {
    if (pairs === undefined) {
      sourceTokens = tokens(ts, source);
      compiledTokens = tokens(ts, compiled);
      pairs = commonTokens(sourceTokens, compiledTokens);
    }
    const offset = offsetOf(compiled, position);
    if (offset === undefined) return undefined;
    // The token at the position, or the nearest one before it that has a source.
    let index = lastAtOrBefore(compiledTokens, offset);
    while (index >= 0 && !pairs.has(index)) index--;
    const paired = index >= 0 ? pairs.get(index) : undefined;
    const token = paired !== undefined ? sourceTokens[paired] : undefined;
    return token !== undefined ? positionOf(source, token.offset) : undefined;
  };
}

function tokens(ts: typeof TypeScript, text: string): Token[] {
  const scanner = ts.createScanner(ts.ScriptTarget.Latest, true, ts.LanguageVariant.Standard, text);
  const found: Token[] = [];
  for (let kind = scanner.scan(); kind !== ts.SyntaxKind.EndOfFileToken; kind = scanner.scan()) {
    found.push({ text: scanner.getTokenText(), offset: scanner.getTokenPos() });
  }
  return found;
}

/** compiled token index → source token index, for the tokens of a longest common subsequence. */
function commonTokens(source: readonly Token[], compiled: readonly Token[]): Map<number, number> {
  const pairs = new Map<number, number>();
  const n = source.length;
  const m = compiled.length;
  if (n * m > MAX_PAIRS) return pairs;
  // lengths[i * (m + 1) + j]: LCS length of source[i..] and compiled[j..].
  const lengths = new Uint32Array((n + 1) * (m + 1));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lengths[i * (m + 1) + j] =
        source[i]?.text === compiled[j]?.text
          ? (lengths[(i + 1) * (m + 1) + j + 1] ?? 0) + 1
          : Math.max(lengths[(i + 1) * (m + 1) + j] ?? 0, lengths[i * (m + 1) + j + 1] ?? 0);
    }
  }
  for (let i = 0, j = 0; i < n && j < m;) {
    if (source[i]?.text === compiled[j]?.text) pairs.set(j++, i++);
    else if ((lengths[(i + 1) * (m + 1) + j] ?? 0) >= (lengths[i * (m + 1) + j + 1] ?? 0)) i++;
    else j++;
  }
  return pairs;
}

function lastAtOrBefore(list: readonly Token[], offset: number): number {
  let low = 0;
  let high = list.length - 1;
  let found = -1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    if ((list[middle]?.offset ?? 0) <= offset) {
      found = middle;
      low = middle + 1;
    } else high = middle - 1;
  }
  return found;
}

function offsetOf(text: string, { line, column }: Position): number | undefined {
  let offset = 0;
  for (let current = 1; current < line; current++) {
    const next = text.indexOf("\n", offset);
    if (next < 0) return undefined;
    offset = next + 1;
  }
  return offset + column - 1;
}

function positionOf(text: string, offset: number): Position {
  const before = text.slice(0, offset);
  const lineStart = before.lastIndexOf("\n") + 1;
  return { line: before.split("\n").length, column: offset - lineStart + 1 };
}
