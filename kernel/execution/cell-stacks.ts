/**
 * Stack traces that point into cells: each cell runs as a script named after it (`In[3]`),
 * and `Error.prepareStackTrace` rewrites that script's frames to the cell's own line and
 * column, for every stack the process formats (thrown from the cell, logged later, or held by
 * a failed task).
 */
import type { Position, PositionMap } from "./compiled-positions.js";

/** A compiled cell, run as a script whose line `lineOffset + 1` is line 1 of `compiled`. */
export interface CompiledCell {
  readonly compiled: string;
  readonly map: PositionMap;
  readonly lineOffset: number;
}

/** The compiled cells of one kernel, by script name. */
export interface CellStacks {
  /** Registers the script `name`. */
  register(name: string, cell: CompiledCell): void;
  /**
   * Rewrites the frames of job functions defined in cells (`job:<task>:<line>:<column>`, from
   * a worker process) to the cells' positions.
   */
  mapJobFrames(stack: string): string;
  /** Restores the previous `Error.prepareStackTrace`. */
  uninstall(): void;
}

type Prepare = (error: Error, frames: NodeJS.CallSite[]) => unknown;

/** Installs the rewriting; frames of other scripts pass through unchanged. */
export function installCellStacks(): CellStacks {
  const scripts = new Map<string, CompiledCell>();
  const previous = Reflect.get(Error, "prepareStackTrace") as Prepare | undefined;
  const prepare: Prepare = (error, frames) => {
    if (!frames.some((frame) => scripts.has(frame.getFileName() ?? ""))) {
      return previous !== undefined ? previous(error, frames) : formatStack(error, frames);
    }
    return formatStack(error, frames, (frame) => {
      const script = scripts.get(frame.getFileName() ?? "");
      const line = frame.getLineNumber();
      const column = frame.getColumnNumber();
      if (script === undefined || line === null || column === null) return undefined;
      // The call of the cell's wrapper, after its last line: no frame of the user's.
      if (line - script.lineOffset > lineCount(script.compiled)) return "hidden";
      return script.map({ line: line - script.lineOffset, column });
    });
  };
  Error.prepareStackTrace = prepare;
  return {
    register: (name, cell) => void scripts.set(name, cell),
    mapJobFrames: (stack) =>
      stack.replace(JOB_FRAME, (frame, task: string, line: string, column: string) => {
        const found = jobPosition([...scripts].reverse(), task, Number(line), Number(column));
        return found ?? frame;
      }),
    uninstall() {
      if (Error.prepareStackTrace !== prepare) return;
      if (previous !== undefined) Error.prepareStackTrace = previous;
      else delete (Error as { prepareStackTrace?: unknown }).prepareStackTrace;
    },
  };
}

/**
 * A job's frame. The worker compiles `new Function(...names, "return (" + source + ...)`: the
 * source starts on line 3 of that function, after the 8 characters of `return (`
 * (engine/execute/job-worker.ts).
 */
const JOB_FRAME = /job:([^:\s()]+):(\d+):(\d+)/g;
const JOB_FIRST_LINE = 3;
const JOB_FIRST_COLUMN = "return (".length + 1;

/** `In[3]:2:9` for a job frame of task `task`, from the newest cell defining that function. */
function jobPosition(
  scripts: readonly (readonly [string, CompiledCell])[],
  task: string,
  line: number,
  column: number,
): string | undefined {
  const definition = new RegExp(
    `function\\s+${task.replace(/[^\w$]/g, "").replace(/\$/g, "\\$")}\\s*\\(`,
  );
  for (const [name, cell] of scripts) {
    const match = definition.exec(cell.compiled);
    if (match === null) continue;
    const before = cell.compiled.slice(0, match.index);
    const startLine = lineCount(before);
    const startColumn = match.index - before.lastIndexOf("\n");
    const compiledLine = startLine + line - JOB_FIRST_LINE;
    const compiledColumn =
      line === JOB_FIRST_LINE ? startColumn + column - JOB_FIRST_COLUMN : column;
    const position = cell.map({ line: compiledLine, column: compiledColumn });
    if (position !== undefined) return `${name}:${position.line}:${position.column}`;
  }
  return undefined;
}

function lineCount(text: string): number {
  return text.split("\n").length;
}

/** V8's own format, with the positions `mapped` gives for some frames. */
function formatStack(
  error: Error,
  frames: readonly NodeJS.CallSite[],
  mapped: (frame: NodeJS.CallSite) => Position | "hidden" | undefined = () => undefined,
): string {
  const lines = frames.flatMap((frame) => {
    const text = (frame as { toString(): string }).toString();
    const position = mapped(frame);
    if (position === "hidden") return [];
    if (position === undefined) return `    at ${text}`;
    // A function of an earlier cell is called as a method of the cells' shared exports.
    const called = text.replace(/^Proxy\./, "");
    const at = `${frame.getFileName() ?? ""}:${frame.getLineNumber()}:${frame.getColumnNumber()}`;
    return `    at ${called.replace(at, `${frame.getFileName() ?? ""}:${position.line}:${position.column}`)}`;
  });
  return [header(error), ...lines].join("\n");
}

function header(error: Error): string {
  try {
    return Error.prototype.toString.call(error);
  } catch {
    return "Error";
  }
}
