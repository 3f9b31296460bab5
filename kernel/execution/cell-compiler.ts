/**
 * The cell compiler: one program update per cell, then a check and a direct CommonJS emit.
 *
 * ```
 * earlier cells' declarations ─┐                      ┌─▶ diagnostics (nothing runs)
 *                              ├─▶ program (reuses ───┤
 * cell + `export { names }` ───┘   the old one)       └─▶ CommonJS + declarations for the next cell
 * ```
 *
 * The cell is a module scoped under the earlier cells' declaration file (its `parent`), so it
 * sees their names and may declare them again. Every program reuses the parsed and bound files
 * of the previous one (libs, `@types`, packages): a warm cell costs its own check and emit.
 */
import { relative } from "node:path";
import type * as TypeScript from "@tslab/typescript-for-tslab";
import { cellNames } from "./cell-names.js";
import { createCellHost } from "./cell-host.js";
import { cellTransformers, LAST_VALUE } from "./cell-transforms.js";
import { unshadowedDeclarations } from "./declaration-filter.js";
import { compilerOptions } from "./compiler-options.js";
import { isTopLevelAwait, TOP_LEVEL_AWAIT_CODES } from "./top-level-await.js";

/** A diagnostic with 0-based positions in the cell (or in `fileName`, relative to the folder). */
export interface CompilerDiagnostic {
  readonly start: { readonly line: number; readonly character: number };
  readonly messageText: string;
  readonly code: number;
  readonly fileName?: string;
}

/** A file of the notebook's folder a cell imports, compiled to CommonJS. */
export interface SideOutput {
  /** Where the compiled file stands (`<folder>/<name>.js`). */
  readonly path: string;
  readonly data: string;
}

/** What compiling a cell gives: diagnostics, or code to run and declarations to keep. */
export interface CompiledCell {
  readonly diagnostics: readonly CompilerDiagnostic[];
  /** The cell as CommonJS reading earlier cells from `exports`. */
  readonly output?: string;
  /** Earlier cells' declarations with this cell's own. */
  readonly declarations?: string;
  /** The key of `exports` that holds the last expression's value, if the cell ends on one. */
  readonly lastValue?: string;
  readonly hasTopLevelAwait?: boolean;
  readonly sideOutputs?: readonly SideOutput[];
}

/** Compiles cells of one notebook folder. */
export interface CellCompiler {
  compile(declarations: string, code: string): CompiledCell;
  /** Adds or replaces a `@module` cell (`<folder>/<name>.ts`); returns its diagnostics. */
  addModule(name: string, code: string, jsx: boolean): readonly CompilerDiagnostic[];
  /** The program of `code` after `declarations`, and the position `offset` of the cell in it. */
  at(declarations: string, code: string, offset: number): ProgramPosition;
}

/** A position in a cell, in the program that holds it. */
export interface ProgramPosition {
  readonly program: TypeScript.Program;
  readonly file: TypeScript.SourceFile;
  readonly position: number;
  /** What to subtract from a position in `file` to get one in the cell. */
  readonly shift: number;
}

/** Makes each cell file a module (so its names are its own), on a line of its own. */
const PREFIX = "export {};\n";

/** Creates the compiler of cells run from `cwd`. */
export function createCellCompiler(
  ts: typeof TypeScript,
  cwd: string,
  tslabDir: string,
): CellCompiler {
  const options = compilerOptions(ts, cwd, tslabDir);
  const cellHost = createCellHost(ts, options, cwd);
  const { host } = cellHost;
  const setFile = (path: string, text: string) => cellHost.setFile(path, text);
  const cellPath = `${cwd}/__cell__.ts`;
  const previousPath = `${cwd}/__previous__.d.ts`;
  const modules = new Set<string>();
  const emittedSides = new WeakSet<TypeScript.SourceFile>();
  let program: TypeScript.Program | undefined;

  // Which `@types` packages a program includes is asked again only when a type root's folder
  // changes (a package added or removed): otherwise every program would read each package's
  // package.json again.
  const typeRoots = options.typeRoots ?? [];
  let typed: { key: string; options: TypeScript.CompilerOptions } | undefined;
  function programOptions(): TypeScript.CompilerOptions {
    const key = typeRoots.map((root) => ts.sys.getModifiedTime?.(root)?.getTime() ?? 0).join();
    if (typed?.key !== key) {
      const types = ts.getAutomaticTypeDirectiveNames(options, host);
      typed = { key, options: { ...options, types } };
    }
    return typed.options;
  }

  function update(declarations: string, cell: string) {
    setFile(previousPath, PREFIX + declarations);
    setFile(cellPath, PREFIX + cell);
    program = ts.createProgram({
      rootNames: [previousPath, cellPath, ...modules],
      options: programOptions(),
      host,
      ...(program !== undefined ? { oldProgram: program } : {}),
    });
    const file = program.getSourceFile(cellPath);
    const previous = program.getSourceFile(previousPath);
    if (file === undefined || previous === undefined) throw new Error("cell file missing");
    // The cell's names resolve through the earlier cells' declarations, then the globals.
    (file as { parent?: TypeScript.Node }).parent = previous;
    return { program, file, previous };
  }

  function diagnosticsOf(
    list: readonly TypeScript.Diagnostic[],
    cellFile: TypeScript.SourceFile | undefined,
  ): { diagnostics: CompilerDiagnostic[]; topLevelAwait: boolean } {
    const diagnostics: CompilerDiagnostic[] = [];
    let topLevelAwait = false;
    for (const d of list) {
      if (d.file === undefined || d.start === undefined) continue;
      if (
        d.file === cellFile &&
        TOP_LEVEL_AWAIT_CODES.has(d.code) &&
        isTopLevelAwait(ts, d.file, d.start)
      ) {
        topLevelAwait = true;
        continue;
      }
      const inMemory = d.file === cellFile || modules.has(d.file.fileName);
      const name = relative(cwd, d.file.fileName);
      if (d.file !== cellFile && name.startsWith("..")) continue;
      const { line, character } = ts.getLineAndCharacterOfPosition(d.file, d.start);
      const start = { line: inMemory ? line - 1 : line, character };
      const fileName = d.file === cellFile ? {} : { fileName: name };
      for (const message of flatten(d.messageText)) {
        diagnostics.push({
          start,
          messageText: message.text,
          code: message.code ?? d.code,
          ...fileName,
        });
      }
    }
    return { diagnostics, topLevelAwait };
  }

  return {
    compile(declarations, code) {
      const names = cellNames(ts, ts.createSourceFile(cellPath, code, options.target ?? 99));
      const exported = [...names.declared.keys()].filter((n) => !names.exported.has(n));
      const suffix = exported.length > 0 ? `\nexport { ${exported.join(", ")} };` : "";
      const { program, file, previous } = update(declarations, code + suffix);
      const sides = localImports(program, file).filter((f) => !emittedSides.has(f));
      const found: TypeScript.Diagnostic[] = [
        ...program.getSyntacticDiagnostics(file),
        ...sides.flatMap((f) => program.getSyntacticDiagnostics(f)),
      ];
      if (found.length === 0) {
        found.push(
          ...program.getSemanticDiagnostics(file),
          ...sides.flatMap((f) => program.getSemanticDiagnostics(f)),
        );
      }
      const checked = diagnosticsOf(found, file);
      if (checked.diagnostics.length > 0) return { diagnostics: checked.diagnostics };
      // By where they end: the export added after the cell starts (with its leading trivia)
      // inside the cell when the cell ends on a comment.
      const statements = file.statements.filter((s) => s.end <= PREFIX.length + code.length);
      const lastStatement = statements[statements.length - 1];
      const last =
        lastStatement !== undefined && ts.isExpressionStatement(lastStatement)
          ? lastStatement
          : undefined;
      let output = "";
      let declared = "";
      const write = (name: string, data: string) => {
        if (name.endsWith(".d.ts")) declared = data;
        else if (name.endsWith(".js")) output = data;
      };
      const transformers = cellTransformers(ts, {
        checker: program.getTypeChecker(),
        previous,
        last,
      });
      const emitted = program.emit(file, write, undefined, false, transformers);
      // Declarations come from a second emit, and only for a cell that may declare something:
      // a cell of expressions alone declares nothing the next cell could see.
      const declares = !file.statements.every(
        (s) => s.end > PREFIX.length + code.length || isEmptyOrExpression(ts, s),
      );
      const emittedDts = declares
        ? emitDeclarations(program, file, write, transformers)
        : { diagnostics: [] };
      const emitErrors = diagnosticsOf(
        [...emitted.diagnostics, ...emittedDts.diagnostics],
        file,
      ).diagnostics;
      if (emitErrors.length > 0) return { diagnostics: emitErrors };
      const sideOutputs: SideOutput[] = [];
      for (const side of sides) {
        program.emit(side, (name, data) => {
          if (name.endsWith(".js")) {
            sideOutputs.push({ path: side.fileName.replace(/\.[cm]?[jt]sx?$/, ".js"), data });
          }
        });
        emittedSides.add(side);
      }
      return {
        diagnostics: [],
        output,
        declarations: unshadowedDeclarations(ts, declarations, names.declared) + declared,
        ...(last !== undefined ? { lastValue: LAST_VALUE } : {}),
        hasTopLevelAwait: checked.topLevelAwait,
        ...(sideOutputs.length > 0 ? { sideOutputs } : {}),
      };
    },
    addModule(name, code, jsx) {
      const path = `${cwd}/${name}${jsx ? ".tsx" : ".ts"}`;
      setFile(path, PREFIX + code);
      modules.add(path);
      const { program: updated } = update("", "");
      const file = updated.getSourceFile(path);
      if (file === undefined) return [];
      const syntax = updated.getSyntacticDiagnostics(file);
      const found = syntax.length > 0 ? syntax : updated.getSemanticDiagnostics(file);
      return diagnosticsOf(found, undefined).diagnostics;
    },
    at(declarations, code, offset) {
      const { program: updated, file } = update(declarations, code);
      updated.getTypeChecker(); // binds the cell before a service walks its tokens
      return {
        program: updated,
        file,
        position: offset + PREFIX.length,
        shift: PREFIX.length,
      };
    },
  };
}

/** Whether a statement declares nothing (the cell's leading `export {};` counts as nothing). */
function isEmptyOrExpression(ts: typeof TypeScript, statement: TypeScript.Statement): boolean {
  return (
    ts.isExpressionStatement(statement) ||
    ts.isEmptyStatement(statement) ||
    (ts.isExportDeclaration(statement) &&
      statement.moduleSpecifier === undefined &&
      statement.exportClause !== undefined &&
      ts.isNamedExports(statement.exportClause) &&
      statement.exportClause.elements.length === 0)
  );
}

/**
 * The declaration file of `file`, with the program's `declaration` option off (the JS emit
 * then skips it): the fork's `emit` takes `forceDtsEmit` after the transformers, as the
 * language services' `getEmitOutput` uses it.
 */
function emitDeclarations(
  program: TypeScript.Program,
  file: TypeScript.SourceFile,
  write: (name: string, data: string) => void,
  transformers: TypeScript.CustomTransformers,
): TypeScript.EmitResult {
  const emit = program.emit.bind(program) as (
    ...args: [...Parameters<TypeScript.Program["emit"]>, forceDtsEmit: boolean]
  ) => TypeScript.EmitResult;
  return emit(file, write, undefined, true, transformers, true);
}

/**
 * The files of the notebook's folder (`@module` cells included) the cell imports, directly or
 * through each other: not declaration files, not packages.
 */
function localImports(
  program: TypeScript.Program,
  cell: TypeScript.SourceFile,
): TypeScript.SourceFile[] {
  const found = new Set<TypeScript.SourceFile>();
  const visit = (file: TypeScript.SourceFile) => {
    const resolved = (file as { resolvedModules?: ResolvedModules }).resolvedModules;
    resolved?.forEach((resolution) => {
      const name = resolution?.resolvedModule?.resolvedFileName;
      if (name === undefined || name.includes("/node_modules/")) return;
      const imported = program.getSourceFile(name);
      if (imported === undefined || imported.isDeclarationFile || found.has(imported)) return;
      found.add(imported);
      visit(imported);
    });
  };
  visit(cell);
  return [...found];
}

/** The fork's per-file cache of resolved imports (internal to TypeScript). */
interface ResolvedModules {
  forEach(
    each: (resolution: TypeScript.ResolvedModuleWithFailedLookupLocations | undefined) => void,
  ): void;
}

/** A diagnostic message and the messages chained under it, each as a line of its own. */
function flatten(
  message: string | TypeScript.DiagnosticMessageChain,
): { text: string; code?: number }[] {
  if (typeof message === "string") return [{ text: message }];
  return [
    { text: message.messageText, code: message.code },
    ...(message.next ?? []).flatMap((next) => flatten(next)),
  ];
}
