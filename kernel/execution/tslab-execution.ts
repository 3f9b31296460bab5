/**
 * TypeScript cells, checked and compiled by the cell compiler (on tslab's TypeScript fork) and
 * run in this process, keeping declarations across cells. This folder is the only place that
 * imports tslab; of it, only the fork, `@module` cells' metadata, completeness and quick-info
 * printing are used. tslab's own protocol layer is not used (see ARCHITECTURE.md: it lacks
 * execute_result, errors, comms, interrupts and per-cell output).
 */
import { createRequire } from "node:module";
import { dirname } from "node:path";
import type * as TypeScript from "@tslab/typescript-for-tslab";
import { isCompleteCode } from "tslab/dist/converter.js";
import { printQuickInfo } from "tslab/dist/inspect.js";
import type { CodeExecution, Completeness, ExecutionOutcome } from "./code-execution.js";
import { createCellCompiler } from "./cell-compiler.js";
import { cellCompletions, quickInfo } from "./cell-services.js";
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

/**
 * Creates the TypeScript execution of one kernel. Cells are checked and run from the process's
 * working directory, the notebook's folder.
 */
export function createTsExecution(options: TsExecutionOptions): CodeExecution {
  const rootDir = process.cwd();
  const tslabDir = dirname(createRequire(import.meta.url).resolve("tslab/package.json"));
  const ts = createRequire(`${tslabDir}/package.json`)(
    "@tslab/typescript-for-tslab",
  ) as typeof TypeScript;
  const moduleTypes = new Map([...options.modules].map(([name, m]) => [name, m.types]));
  // `import * as tslab from "tslab"` (its display helpers) type-checks from any folder too.
  if (!moduleTypes.has("tslab")) moduleTypes.set("tslab", `${tslabDir}/dist/public.js`);
  const packageTypes = packageTypesResolver(ts, realFileSystem(ts.sys));
  const undoOverlay = installOverlay(ts.sys, {
    ...notebookOverlay({ cwd: rootDir, tslabDir, moduleTypes }),
    packageTypes,
  });
  const compiler = createCellCompiler(ts, rootDir, tslabDir);
  const stacks = installCellStacks();
  const executor = createCellExecutor({
    ts,
    rootDir,
    compiler,
    stacks,
    provided: (name) => (name === "tslab" ? { exports: tslabModule() } : options.modules.get(name)),
  });
  setCellLocals(executor.locals);
  let running = false;
  let warmed = false;
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
      return cellCompletions(ts, compiler.at(executor.declarations(), code, offset), code);
    },
    inspect(code, offset) {
      const info = quickInfo(ts, compiler.at(executor.declarations(), code, offset));
      const text = info !== undefined ? printQuickInfo(info) : "";
      return text === "" ? undefined : text;
    },
    warmUp() {
      if (warmed) return;
      warmed = true;
      // The first program parses and binds the libs, `@types` and the package's declaration
      // files, and the first checks compile the checker's code: every later cell reuses both.
      const imports = options.modules.has("workgraph")
        ? 'import * as warm from "workgraph";\n'
        : "";
      compiler.compile("", `${imports}const warmed: number = [1].map((n) => n + 1)[0];\nwarmed;`);
      compiler.compile("", "1 + 1");
    },
    isComplete: (code) => completeness(ts, code),
    mapStack: (stack) => stacks.mapJobFrames(stack),
    interrupt() {
      if (running) executor.interrupt();
    },
    close() {
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
