/**
 * Runs cells compiled by the cell compiler, keeping what earlier cells declared (in place of
 * tslab's executor, which forgets everything a failing cell declared and names every script
 * `evalmachine.<anonymous>`). Each cell runs as a script named after it, with its compiled
 * positions mapped back to the cell (cell-stacks.ts).
 */
import Module, { createRequire } from "node:module";
import { dirname, extname, join } from "node:path";
import vm from "node:vm";
import type * as TypeScript from "@tslab/typescript-for-tslab";
import { getCodeMetadata } from "tslab/dist/metadata.js";
import type { CellCompiler, CompilerDiagnostic, SideOutput } from "./cell-compiler.js";
import { createCellExports, withoutExportsPreamble } from "./cell-exports.js";
import type { CellStacks } from "./cell-stacks.js";
import { compiledPositions } from "./compiled-positions.js";
import { keptDeclarations } from "./declaration-filter.js";

/** How one cell ended. */
export type CellRun =
  | { readonly status: "ok"; readonly result?: { readonly value: unknown } }
  | { readonly status: "diagnostics"; readonly diagnostics: readonly CompilerDiagnostic[] }
  | { readonly status: "thrown"; readonly error: unknown; readonly interrupted: boolean };

/** What the executor needs. */
export interface CellExecutorOptions {
  readonly ts: typeof TypeScript;
  /** The notebook's folder: `require` resolves from here, as a script there would. */
  readonly rootDir: string;
  readonly compiler: CellCompiler;
  readonly stacks: CellStacks;
  /** Modules `require(name)` returns whatever the folder holds. */
  readonly provided: (name: string) => { exports: unknown } | undefined;
}

/** Runs cells one at a time. */
export interface CellExecutor {
  /** Checks, compiles and runs `code` as the script `name`. */
  run(code: string, name: string): Promise<CellRun>;
  /** What earlier cells declared, as a declaration file (for completion and inspection). */
  declarations(): string;
  /** The values the cells have declared, by name (what compiled cells read as `exports`). */
  readonly locals: Readonly<Record<string, unknown>>;
  interrupt(): void;
}

/** The global the wrapper of each cell reads its `exports` and `require` from. */
const HOST = "__workgraphCell__";
/** The wrapper puts the compiled code on the line after its own. */
const WRAPPER_LINES = 1;

/** Creates the executor of one kernel. */
export function createCellExecutor(options: CellExecutorOptions): CellExecutor {
  const { ts, compiler, stacks } = options;
  const exports = createCellExports();
  const sideOutputs = new Map<string, string>();
  const sideModules = new Map<string, Module>();
  (globalThis as Record<string, unknown>)[HOST] = {
    exports: exports.object,
    require: cellRequire(createRequire(join(options.rootDir, "[cell].js")), options.rootDir),
  };
  let declarations = "";
  let interrupt = (): void => {};

  function cellRequire(base: NodeJS.Require, directory: string): (id: string) => unknown {
    return (id) => {
      const provided = options.provided(id);
      if (provided !== undefined) return provided.exports;
      const side = fromSideOutputs(id, directory);
      return side !== undefined ? side : (base(id) as unknown);
    };
  }

  // Files of the notebook's folder a cell imports are compiled with it (tslab's side outputs).
  function fromSideOutputs(id: string, directory: string): unknown {
    let filename = join(directory, id);
    if (extname(filename) === "") filename += ".js";
    const cached = sideModules.get(filename);
    if (cached !== undefined) return cached.exports;
    const code = sideOutputs.get(filename);
    if (code === undefined) return undefined;
    const module = new Module(filename);
    module.filename = filename;
    module.paths = (
      Module as unknown as { _nodeModulePaths(d: string): string[] }
    )._nodeModulePaths(dirname(filename));
    const required = createRequire(filename);
    module.require = Object.assign(cellRequire(required, dirname(filename)), required);
    (module as unknown as { _compile(code: string, filename: string): void })._compile(
      code,
      filename,
    );
    sideModules.set(filename, module);
    return module.exports;
  }

  function updateSideOutputs(outputs: readonly SideOutput[] | undefined): void {
    for (const output of outputs ?? []) {
      sideModules.delete(output.path);
      sideOutputs.set(output.path, output.data);
    }
  }

  return {
    locals: exports.object,
    async run(code, name) {
      const meta = getCodeMetadata(code);
      if (meta.module !== undefined) {
        // Modules are registered even with errors, as tslab does; nothing runs.
        const diagnostics = compiler.addModule(meta.module, code, meta.jsx === true);
        return diagnostics.length > 0
          ? { status: "thrown", error: moduleError(diagnostics), interrupted: false }
          : { status: "ok" };
      }
      if (meta.mode === "browser") return { status: "ok" };
      const converted = compiler.compile(declarations, code);
      updateSideOutputs(converted.sideOutputs);
      if (converted.diagnostics.length > 0) {
        return { status: "diagnostics", diagnostics: converted.diagnostics };
      }
      const declared = converted.declarations ?? "";
      if (converted.output === undefined || converted.output === "") {
        declarations = declared;
        return { status: "ok" };
      }
      const { code: compiled, declared: values } = withoutExportsPreamble(converted.output);
      const map = compiledPositions(ts, code, compiled);
      stacks.register(name, { compiled, map, lineOffset: WRAPPER_LINES });
      const wrapper = converted.hasTopLevelAwait === true ? "(async function" : "(function";
      const script = `${wrapper} (exports, require) {\n${compiled}\n})(${HOST}.exports, ${HOST}.require)`;
      exports.startCell();
      const interrupted = new Promise<never>((_, reject) => {
        interrupt = () => reject(new InterruptedSignal());
      });
      interrupted.catch(() => {});
      try {
        const value: unknown = vm.runInThisContext(script, { filename: name, breakOnSigint: true });
        if (converted.hasTopLevelAwait === true) await Promise.race([value, interrupted]);
      } catch (error) {
        // Keep what the cell assigned before it failed; drop the values it never reached.
        const assigned = exports.assigned();
        const unreached = new Set(values.filter((v) => !assigned.has(v)));
        declarations = keptDeclarations(ts, declared, unreached);
        return { status: "thrown", error, interrupted: error instanceof InterruptedSignal };
      } finally {
        interrupt = () => {};
      }
      declarations = declared;
      const last = converted.lastValue;
      if (last === undefined) return { status: "ok" };
      const value = exports.object[last];
      delete exports.object[last];
      return value === undefined || value === null
        ? { status: "ok" }
        : { status: "ok", result: { value } };
    },
    declarations: () => declarations,
    interrupt: () => interrupt(),
  };
}

/** The diagnostics of a `//@module` cell, as tslab prints them. */
function moduleError(diagnostics: readonly CompilerDiagnostic[]): Error {
  const lines = diagnostics.map(
    (d) =>
      `${d.fileName !== undefined ? `${d.fileName} ` : ""}${d.start.line + 1}:${d.start.character + 1} - ${d.messageText}`,
  );
  const error = new Error(lines.join("\n"));
  error.name = "TypeScriptError";
  return error;
}

/** What an interrupt rejects an awaiting cell with. */
class InterruptedSignal extends Error {
  override readonly name = "InterruptedSignal";
}
