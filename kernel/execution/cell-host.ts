/**
 * The compiler host of the cell program: cells and `@module` cells live in memory; files on
 * disk are parsed once and kept, so each cell's program reuses every parsed (and bound) lib,
 * `@types` and package declaration file. Files of the notebook's own folder (outside any
 * `node_modules`) are parsed again when their modification time changes.
 */
import type * as TypeScript from "@tslab/typescript-for-tslab";

/** A compiler host with files held in memory. */
export interface CellHost {
  readonly host: TypeScript.CompilerHost;
  /** Puts (or replaces) a file that exists only in memory. */
  setFile(path: string, text: string): void;
}

interface Kept {
  readonly file: TypeScript.SourceFile | undefined;
  readonly modified: number | undefined;
}

/** Creates the host of one kernel's cell program, reading disk through the fork's `ts.sys`. */
export function createCellHost(
  ts: typeof TypeScript,
  options: TypeScript.CompilerOptions,
  cwd: string,
): CellHost {
  const base = ts.createCompilerHost(options, false);
  const libDirectory = base.getDefaultLibLocation?.() ?? "";
  const memory = new Map<string, { text: string; file?: TypeScript.SourceFile }>();
  const kept = new Map<string, Kept>();
  const watched = (path: string) =>
    !path.includes("/node_modules/") && (libDirectory === "" || !path.startsWith(libDirectory));
  const modifiedTime = (path: string) =>
    watched(path) ? ts.sys.getModifiedTime?.(path)?.getTime() : undefined;

  const host: TypeScript.CompilerHost = {
    ...base,
    getCurrentDirectory: () => cwd,
    getSourceFile(fileName, languageVersion, onError, shouldCreate) {
      const inMemory = memory.get(fileName);
      if (inMemory !== undefined) {
        // With parents set, the language services can walk up from a token at once.
        inMemory.file ??= ts.createSourceFile(fileName, inMemory.text, languageVersion, true);
        return inMemory.file;
      }
      const modified = modifiedTime(fileName);
      const known = kept.get(fileName);
      if (known !== undefined && known.modified === modified && known.file !== undefined) {
        return known.file;
      }
      const file = base.getSourceFile(fileName, languageVersion, onError, shouldCreate);
      if (file !== undefined) kept.set(fileName, { file, modified });
      return file;
    },
    fileExists: (path) => memory.has(path) || base.fileExists(path),
    readFile: (path) => memory.get(path)?.text ?? base.readFile(path),
    writeFile: () => {
      throw new Error("the cell program writes no file");
    },
  };
  return {
    host,
    setFile(path, text) {
      if (memory.get(path)?.text !== text) memory.set(path, { text });
    },
  };
}
