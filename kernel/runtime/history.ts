/**
 * The inputs (and text outputs) of this kernel's executions, for history_request: `tail`,
 * `range` and `search` as IPython answers them. In memory: a restart starts a new history.
 */

/** One history entry: `[session, line, input]` or `[session, line, [input, output]]`. */
export type HistoryEntry = readonly [number, number, string | readonly [string, string | null]];

/** What a history_request asks for (the fields its access type uses). */
export interface HistoryQuery {
  readonly hist_access_type?: unknown;
  readonly output?: unknown;
  readonly session?: unknown;
  readonly start?: unknown;
  readonly stop?: unknown;
  readonly n?: unknown;
  readonly pattern?: unknown;
  readonly unique?: unknown;
}

/** This kernel's session number; 0 in a request also means "the current session". */
const SESSION = 1;

/** The executions stored in history, by execution count. */
export class History {
  readonly #lines: { line: number; input: string; output: string | null }[] = [];

  add(line: number, input: string): void {
    this.#lines.push({ line, input, output: null });
  }

  /** Records the text of the execute_result of `line`. */
  setOutput(line: number, output: string): void {
    const entry = this.#lines.findLast((l) => l.line === line);
    if (entry !== undefined) entry.output = output;
  }

  query(query: HistoryQuery): HistoryEntry[] {
    const n = typeof query.n === "number" && query.n > 0 ? query.n : undefined;
    let found = this.#lines;
    switch (query.hist_access_type) {
      case "tail":
        found = found.slice(-(n ?? 10));
        break;
      case "range": {
        if (query.session !== SESSION && query.session !== 0 && query.session !== undefined) {
          return [];
        }
        const start = typeof query.start === "number" ? query.start : 1;
        const stop = typeof query.stop === "number" ? query.stop : Number.POSITIVE_INFINITY;
        found = found.filter((l) => l.line >= start && l.line < stop);
        break;
      }
      case "search": {
        const pattern = glob(typeof query.pattern === "string" ? query.pattern : "*");
        found = found.filter((l) => pattern.test(l.input));
        if (query.unique === true) {
          found = found.filter((l, i) => !found.slice(i + 1).some((m) => m.input === l.input));
        }
        if (n !== undefined) found = found.slice(-n);
        break;
      }
      default:
        return [];
    }
    return found.map((l) => [
      SESSION,
      l.line,
      query.output === true ? [l.input, l.output] : l.input,
    ]);
  }
}

/** A glob (`*`, `?`) matching whole inputs, as SQLite's GLOB that IPython uses. */
function glob(pattern: string): RegExp {
  const escaped = pattern.replace(/[.+^${}()|[\]\\]/g, "\\$&");
  return new RegExp(`^${escaped.replace(/\*/g, "[\\s\\S]*").replace(/\?/g, "[\\s\\S]")}$`);
}
