/**
 * TypeScript cells through tslab's converter (type-check, then compile to CommonJS) and
 * executor (run in this process, keeping declarations across cells). This folder is the only
 * place that imports tslab. tslab's own protocol layer is not used (see ARCHITECTURE.md: it
 * lacks execute_result, errors, comms, interrupts and per-cell output).
 */
import { createRequire } from "node:module";
import { dirname } from "node:path";
import type * as TypeScript from "@tslab/typescript-for-tslab";
import { createConverter, isCompleteCode } from "tslab/dist/converter.js";
import { printQuickInfo } from "tslab/dist/inspect.js";
import type { CodeExecution, Completeness, ExecutionOutcome } from "./code-execution.js";
import { createCellExecutor } from "./cell-executor.js";
import { installCellStacks } from "./cell-stacks.js";
import { toCellDiagnostics } from "./diagnostics.js";
import { notebookOverlay } from "./notebook-overlay.js";
import { packageTypesResolver } from "./package-types.js";
import { installOverlay } from "./ts-overlay.js";
import { setCellLocals } from "../runtime/cell-locals.js";

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

/** How long the kernel idles after the compiler has started before warming it further. */
const WARM_UP_DELAY_MS = 50;

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
  const packageTypes = packageTypesResolver(ts, realFileSystem(ts.sys));
  const undoOverlay = installOverlay(ts.sys, {
    ...notebookOverlay({ cwd: rootDir, tslabDir, moduleTypes }),
    packageTypes,
  });
  const converter = createConverter();
  const stacks = installCellStacks();
  const executor = createCellExecutor({
    ts,
    rootDir,
    converter,
    stacks,
    provided: (name) => (name === "tslab" ? { exports: tslabModule() } : options.modules.get(name)),
  });
  setCellLocals(executor.locals);
  let running = false;
  let cells = 0;
  const names = new Set<string>();
  return {
    async execute(code, name): Promise<ExecutionOutcome> {
      running = true;
      cells++;
      // Script names stay unique: a stack may hold frames of any earlier cell.
      const script = name === undefined || names.has(name) ? `${name ?? "cell"}#${cells}` : name;
      names.add(script);
      try {
        const run = await executor.run(code, script);
        switch (run.status) {
          case "ok":
            return run;
          case "diagnostics":
            return { status: "diagnostics", diagnostics: toCellDiagnostics(run.diagnostics) };
          case "thrown":
            return run.interrupted || isSigintBreak(run.error)
              ? { status: "interrupted" }
              : { status: "thrown", error: run.error };
        }
      } finally {
        running = false;
      }
    },
    complete(code, offset) {
      const info = converter.complete(executor.declarations(), code, offset);
      return { start: info.start, end: info.end, matches: info.candidates };
    },
    inspect(code, offset) {
      const info = converter.inspect(executor.declarations(), code, offset);
      const text = info !== undefined ? printQuickInfo(info) : "";
      return text === "" ? undefined : text;
    },
    warmUp() {
      // Checking a first import of the package parses and binds its declaration files, which
      // the first real import then reuses. Skipped once a cell has come: it never waits on this.
      if (!options.modules.has("workgraph")) return;
      setTimeout(() => {
        if (running || cells > 0) return;
        converter.convert("", 'import * as warmUp from "workgraph";\nwarmUp;');
      }, WARM_UP_DELAY_MS).unref();
    },
    isComplete: (code) => completeness(ts, code),
    mapStack: (stack) => stacks.mapJobFrames(stack),
    interrupt() {
      if (running) executor.interrupt();
    },
    close() {
      converter.close();
      stacks.uninstall();
      undoOverlay();
    },
  };
}

/** The file system as it is, for resolving packages while the overlay is installed. */
function realFileSystem(sys: TypeScript.System): TypeScript.ModuleResolutionHost {
  return {
    fileExists: sys.fileExists.bind(sys),
    readFile: sys.readFile.bind(sys),
    directoryExists: sys.directoryExists.bind(sys),
    getDirectories: sys.getDirectories.bind(sys),
    ...(sys.realpath !== undefined ? { realpath: sys.realpath.bind(sys) } : {}),
    getCurrentDirectory: () => process.cwd(),
  };
}

/** tslab's own module, for cells that `import * as tslab from "tslab"` (its display helpers). */
function tslabModule(): unknown {
  return createRequire(import.meta.url)("tslab");
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
