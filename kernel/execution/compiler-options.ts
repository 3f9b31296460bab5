/**
 * How cells are checked and compiled: as tslab checks them (Node10 resolution, the lib of the
 * running Node, not strict, imports checked against `@types`), emitted straight to CommonJS.
 */
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import type * as TypeScript from "@tslab/typescript-for-tslab";

/** The options of the cell program of a notebook in `cwd`. */
export function compilerOptions(
  ts: typeof TypeScript,
  cwd: string,
  tslabDir: string,
): TypeScript.CompilerOptions {
  return {
    module: ts.ModuleKind.CommonJS,
    moduleResolution: ts.ModuleResolutionKind.Node10,
    esModuleInterop: true,
    target: ts.ScriptTarget.ES2022,
    lib: ["lib.es2022.d.ts"],
    // Declaration files are emitted on their own, for cells that declare something.
    declaration: false,
    newLine: ts.NewLineKind.LineFeed,
    // Cells are sloppy-mode scripts, as in tslab: no "use strict" in the output.
    noImplicitUseStrict: true,
    experimentalDecorators: true,
    resolveJsonModule: true,
    jsx: ts.JsxEmit.React,
    typeRoots: typeRoots(cwd, tslabDir),
    allowJs: true,
    checkJs: true,
    skipLibCheck: true,
    rootDir: cwd,
    outDir: join(cwd, "outDir"),
  };
}

/**
 * `node_modules/@types` of the folder and its parents, and tslab's own `@types` when none of
 * them has `@types/node` (the overlay shows it there wherever npm put it).
 */
function typeRoots(cwd: string, tslabDir: string): string[] {
  const roots: string[] = [];
  for (let folder = cwd; ; folder = dirname(folder)) {
    const root = join(folder, "node_modules", "@types");
    if (existsSync(root)) roots.push(root);
    if (dirname(folder) === folder) break;
  }
  if (!roots.some((root) => existsSync(join(root, "node", "package.json")))) {
    roots.push(join(tslabDir, "node_modules", "@types"));
  }
  return roots;
}
