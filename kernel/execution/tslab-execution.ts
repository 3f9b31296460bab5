/**
 * TypeScript cells through tslab's converter (type-check, then compile to CommonJS) and
 * executor (run in this process, keeping declarations across cells). This folder is the only
 * place that imports tslab. tslab's own protocol layer is not used (see ARCHITECTURE.md: it
 * lacks execute_result, errors, comms, interrupts and per-cell output).
 */
import { createRequire } from "node:module";
import { dirname } from "node:path";
import { format } from "node:util";
import type * as TypeScript from "@tslab/typescript-for-tslab";
import { createConverter, isCompleteCode, type Converter } from "tslab/dist/converter.js";
import { createExecutor } from "tslab/dist/executor.js";
import { printQuickInfo } from "tslab/dist/inspect.js";
import type { CodeExecution, Completeness, ExecutionOutcome } from "./code-execution.js";
import { toCellDiagnostics, type TslabDiagnostic } from "./diagnostics.js";
import { notebookOverlay } from "./notebook-overlay.js";
import { installOverlay } from "./ts-overlay.js";

/** A module a notebook can import: its exports, and the path of its types. */
export interface ProvidedModule {
  /** What `require(name)` returns in a cell. */
  readonly exports: unknown;
  /** Absolute path of the module's `.js` file; its `.d.ts` must sit beside it. */
  readonly types: string;
}

/** Options of {@link createTsExecution}. */
export interface TsExecutionOptions {
  /** Modules the kernel provides by name, whatever the notebook's folder holds. */
  readonly modules: ReadonlyMap<string, ProvidedModule>;
}

interface Capture {
  result?: { value: unknown };
  thrown?: { error: unknown };
  diagnostics: readonly TslabDiagnostic[];
  /** Diagnostics tslab printed itself (of `//@module` cells). */
  printed: string[];
  interrupted: boolean;
}

const freshCapture = (): Capture => ({ diagnostics: [], printed: [], interrupted: false });

/**
 * Creates the TypeScript execution of one kernel (over a second: a compiler starts). Cells are
 * checked and run from the process's working directory, the notebook's folder: tslab's
 * converter takes it from there.
 */
export function createTsExecution(options: TsExecutionOptions): CodeExecution {
  const rootDir = process.cwd();
  const tslabDir = dirname(createRequire(import.meta.url).resolve("tslab/package.json"));
  const ts = createRequire(`${tslabDir}/package.json`)(
    "@tslab/typescript-for-tslab",
  ) as typeof TypeScript;
  const moduleTypes = new Map([...options.modules].map(([name, m]) => [name, m.types]));
  const undoOverlay = installOverlay(
    ts.sys,
    notebookOverlay({ cwd: rootDir, tslabDir, moduleTypes }),
  );
  const node = withDiagnostics(createConverter(), (d) => (capture.diagnostics = d));
  // Only `//@mode browser` cells need it, and each converter costs a second to start.
  const browser = lazyConverter(() => createConverter({ isBrowser: true }));
  let capture = freshCapture();
  let running = false;
  const executor = createExecutor(
    rootDir,
    { node, browser, close: () => (node.close(), browser.close()) },
    {
      // tslab hands the last expression's value to log, and what the cell threw to error;
      // with a format string, error prints diagnostics of a `//@module` cell.
      log: (value: unknown) => (capture.result = { value }),
      error: (error: unknown, ...rest: unknown[]) => {
        if (rest.length === 0) capture.thrown = { error };
        else capture.printed.push(format(error, ...rest));
      },
    },
  );
  provideModules(options.modules);
  return {
    async execute(code): Promise<ExecutionOutcome> {
      capture = freshCapture();
      const current = capture;
      running = true;
      try {
        await executor.execute(code);
      } finally {
        running = false;
      }
      if (current.diagnostics.length > 0) {
        return { status: "diagnostics", diagnostics: toCellDiagnostics(current.diagnostics) };
      }
      if (current.printed.length > 0 && current.thrown === undefined) {
        const error = new Error(current.printed.join("\n"));
        error.name = "TypeScriptError";
        return { status: "thrown", error };
      }
      if (current.thrown !== undefined) {
        return current.interrupted || isSigintBreak(current.thrown.error)
          ? { status: "interrupted" }
          : { status: "thrown", error: current.thrown.error };
      }
      return current.result !== undefined
        ? { status: "ok", result: current.result }
        : { status: "ok" };
    },
    complete(code, offset) {
      const info = executor.complete(code, offset);
      return { start: info.start, end: info.end, matches: info.candidates };
    },
    inspect(code, offset) {
      const info = executor.inspect(code, offset);
      const text = info !== undefined ? printQuickInfo(info) : "";
      return text === "" ? undefined : text;
    },
    isComplete: (code) => completeness(ts, code),
    interrupt() {
      if (!running) return;
      capture.interrupted = true;
      executor.interrupt();
    },
    close() {
      executor.close();
      undoOverlay();
    },
  };
}

/** A converter that also reports each conversion's diagnostics to `onDiagnostics`. */
function withDiagnostics(
  converter: Converter,
  onDiagnostics: (diagnostics: readonly TslabDiagnostic[]) => void,
): Converter {
  return {
    ...converter,
    convert(previous, source) {
      const converted = converter.convert(previous, source);
      onDiagnostics(converted.diagnostics);
      return converted;
    },
  };
}

function lazyConverter(create: () => Converter): Converter {
  let converter: Converter | undefined;
  const get = () => (converter ??= create());
  return {
    convert: (previous, source) => get().convert(previous, source),
    inspect: (previous, source, position) => get().inspect(previous, source, position),
    complete: (previous, source, position) => get().complete(previous, source, position),
    addModule: (name, content, meta) => get().addModule(name, content, meta),
    close: () => converter?.close(),
  };
}

/** Makes `require(name)` in cells return the provided modules. */
function provideModules(modules: ReadonlyMap<string, ProvidedModule>): void {
  // tslab's executor passes `__tslab__.require` to every cell it runs.
  const host = (globalThis as unknown as { __tslab__: { require: NodeJS.Require } }).__tslab__;
  const base = host.require;
  const provided = (id: string): unknown => (modules.has(id) ? modules.get(id)?.exports : base(id));
  host.require = Object.assign(provided, base) as NodeJS.Require;
}

function isSigintBreak(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === "ERR_SCRIPT_EXECUTION_INTERRUPTED";
}

/** complete / incomplete (with the indent of the next line) / invalid. */
function completeness(ts: typeof TypeScript, code: string): Completeness {
  const judged = isCompleteCode(code);
  if (!judged.completed) return { status: "incomplete", indent: judged.indent ?? "" };
  const file = ts.createSourceFile(
    "cell.ts",
    code,
    ts.ScriptTarget.Latest,
    false,
    ts.ScriptKind.TS,
  );
  const parseErrors = (file as { parseDiagnostics?: readonly unknown[] }).parseDiagnostics ?? [];
  return parseErrors.length > 0 ? { status: "invalid" } : { status: "complete" };
}
