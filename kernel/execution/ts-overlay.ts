/**
 * A file-system overlay for the TypeScript fork inside tslab. tslab type-checks cells with
 * `moduleResolution: Node10` from the notebook's folder, so two things a notebook anywhere must
 * see are made to appear where that resolution looks:
 *
 * - `@types/node` under `tslab/node_modules/@types` (tslab's fallback type root), wherever npm
 *   actually put it: hoisted installs otherwise fail with "Cannot find name 'console'";
 * - `<notebook folder>/node_modules/workgraph.d.ts`, re-exporting the kernel's own types, so
 *   `import { run } from "workgraph"` type-checks also in a folder with no node_modules.
 *
 * - `<folder>/node_modules/<specifier>.d.ts`, Node10's first probe for a package, answered with
 *   the declaration file Node's own resolution finds (`packageTypes`, see package-types.ts).
 *
 * The overlay patches methods of the fork's `ts.sys`, which tslab's converter reads through.
 */
import { dirname, posix } from "node:path";
import type { System } from "@tslab/typescript-for-tslab";

/** What to add: virtual files (path → text) and directories that stand for real ones. */
export interface Overlay {
  readonly files: ReadonlyMap<string, string>;
  /** Virtual directory → the real directory whose contents it shows. */
  readonly directories: ReadonlyMap<string, string>;
  /** For a path that does not exist, the real file that stands for it, if any. */
  readonly packageTypes?: (path: string) => string | undefined;
}

type Patched = Pick<
  System,
  | "fileExists"
  | "readFile"
  | "directoryExists"
  | "getDirectories"
  | "readDirectory"
  | "realpath"
  | "getModifiedTime"
  | "getFileSize"
  | "watchFile"
  | "watchDirectory"
>;

const noWatcher = { close: () => {} };
const epoch = new Date(0);

/** Patches `sys` so it shows `overlay`; returns a function that undoes it. */
export function installOverlay(sys: System, overlay: Overlay): () => void {
  const base: Patched = { ...pick(sys) };
  const mapped = (path: string): string => {
    for (const [virtual, real] of overlay.directories) {
      if (path === virtual) return real;
      if (path.startsWith(`${virtual}/`)) return real + path.slice(virtual.length);
    }
    return path;
  };
  // Every ancestor of a virtual entry exists, and lists the entry's path among its directories.
  const children = new Map<string, Set<string>>();
  const addAncestors = (directory: string) => {
    if (!children.has(directory)) children.set(directory, new Set());
    for (let child = directory, parent = dirname(child); parent !== child;) {
      const names = children.get(parent) ?? new Set<string>();
      names.add(posix.basename(child));
      children.set(parent, names);
      child = parent;
      parent = dirname(parent);
    }
  };
  for (const file of overlay.files.keys()) addAncestors(dirname(file));
  for (const directory of overlay.directories.keys()) addAncestors(directory);
  const isVirtual = (path: string) => overlay.files.has(path) || mapped(path) !== path;
  const standIn = (path: string) =>
    overlay.packageTypes !== undefined && !base.fileExists(mapped(path))
      ? overlay.packageTypes(path)
      : undefined;
  const patch: Patched = {
    fileExists: (path) =>
      overlay.files.has(path) || base.fileExists(mapped(path)) || standIn(path) !== undefined,
    readFile: (path, encoding) =>
      overlay.files.get(path) ?? base.readFile(standIn(path) ?? mapped(path), encoding),
    directoryExists: (path) => children.has(path) || base.directoryExists(mapped(path)),
    getDirectories(path) {
      const real = base.directoryExists(mapped(path)) ? base.getDirectories(mapped(path)) : [];
      return [...new Set([...real, ...(children.get(path) ?? [])])];
    },
    readDirectory: (path, ...rest) => base.readDirectory(mapped(path), ...rest),
    realpath(path) {
      if (overlay.files.has(path)) return path;
      const target = standIn(path) ?? mapped(path);
      return base.realpath !== undefined ? base.realpath(target) : target;
    },
    getModifiedTime: (path) =>
      overlay.files.has(path) ? epoch : base.getModifiedTime?.(mapped(path)),
    getFileSize: (path) => overlay.files.get(path)?.length ?? base.getFileSize?.(mapped(path)) ?? 0,
    // Virtual entries never change; watching them would only poll paths that do not exist.
    watchFile: (path, ...rest) =>
      isVirtual(path) || base.watchFile === undefined ? noWatcher : base.watchFile(path, ...rest),
    watchDirectory: (path, ...rest) =>
      (children.has(path) && !base.directoryExists(path)) || base.watchDirectory === undefined
        ? noWatcher
        : base.watchDirectory(path, ...rest),
  };
  Object.assign(sys, patch);
  return () => Object.assign(sys, base);
}

function pick(sys: System): Patched {
  return {
    fileExists: sys.fileExists.bind(sys),
    readFile: sys.readFile.bind(sys),
    directoryExists: sys.directoryExists.bind(sys),
    getDirectories: sys.getDirectories.bind(sys),
    readDirectory: sys.readDirectory.bind(sys),
    realpath: sys.realpath?.bind(sys),
    getModifiedTime: sys.getModifiedTime?.bind(sys),
    getFileSize: sys.getFileSize?.bind(sys),
    watchFile: sys.watchFile?.bind(sys),
    watchDirectory: sys.watchDirectory?.bind(sys),
  } as Patched;
}
