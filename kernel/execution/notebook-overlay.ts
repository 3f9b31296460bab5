/** Which files the notebook's type checker must see besides the real ones (see ts-overlay.ts). */
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import type { Overlay } from "./ts-overlay.js";

/** Where things are: the notebook's folder, tslab's package, and the modules to provide. */
export interface NotebookLayout {
  /** The notebook's folder, where tslab resolves imports from. */
  readonly cwd: string;
  /** tslab's package directory. */
  readonly tslabDir: string;
  /** Module name → the absolute path (`.js`, with a `.d.ts` beside it) of its types. */
  readonly moduleTypes: ReadonlyMap<string, string>;
}

/** The overlay for a notebook in `layout.cwd`. */
export function notebookOverlay(layout: NotebookLayout): Overlay {
  const files = new Map<string, string>();
  for (const [name, types] of layout.moduleTypes) {
    // Node10 resolution tries `node_modules/<name>.d.ts` before a package directory.
    files.set(
      join(layout.cwd, "node_modules", `${name}.d.ts`),
      `export * from ${JSON.stringify(types)};\n`,
    );
  }
  const directories = new Map<string, string>();
  const fallback = join(layout.tslabDir, "node_modules", "@types", "node");
  const typesNode = findTypesNode(layout.tslabDir);
  if (!existsSync(join(fallback, "package.json")) && typesNode !== undefined) {
    directories.set(fallback, typesNode);
  }
  return { files, directories };
}

/** The `@types/node` tslab's own dependency resolves to, hoisted or not. */
export function findTypesNode(tslabDir: string): string | undefined {
  try {
    return dirname(
      createRequire(join(tslabDir, "package.json")).resolve("@types/node/package.json"),
    );
  } catch {
    return undefined;
  }
}
