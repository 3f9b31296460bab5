/**
 * The overlay over TypeScript's file system, on real folders: a hoisted `@types/node` shows up
 * under tslab's fallback type root, and `workgraph` under the notebook's node_modules.
 */
import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import type * as TypeScript from "@tslab/typescript-for-tslab";
import { afterAll, describe, expect, it } from "vitest";
import { findTypesNode, notebookOverlay } from "../../../kernel/execution/notebook-overlay.js";
import { installOverlay } from "../../../kernel/execution/ts-overlay.js";

const require = createRequire(import.meta.url);
const tslabDir = dirname(require.resolve("tslab/package.json"));
const ts = createRequire(join(tslabDir, "package.json"))(
  "@tslab/typescript-for-tslab",
) as typeof TypeScript;

// A hoisted install: tslab without nested node_modules, @types/node beside it.
const scratch = realpathSync(mkdtempSync(join(tmpdir(), "workgraph-overlay-")));
const modules = join(scratch, "project", "node_modules");
const fakeTslab = join(modules, "tslab");
mkdirSync(fakeTslab, { recursive: true });
writeFileSync(join(fakeTslab, "package.json"), '{ "name": "tslab" }');
mkdirSync(join(modules, "@types"));
const realTypesNode = findTypesNode(tslabDir) ?? "";
symlinkSync(realTypesNode, join(modules, "@types", "node"));
const notebook = join(scratch, "notebook");
mkdirSync(notebook);
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe("the notebook overlay", () => {
  const overlay = notebookOverlay({
    cwd: notebook,
    tslabDir: fakeTslab,
    moduleTypes: new Map([["workgraph", "/pkg/dist/kernel/notebook.js"]]),
  });

  it("maps tslab's fallback type root to the @types/node npm hoisted", () => {
    expect(realTypesNode).not.toBe("");
    expect([...overlay.directories]).toEqual([
      // Found through the symlink npm (or a test) made; require() resolves to the real folder.
      [join(fakeTslab, "node_modules", "@types", "node"), realpathSync(realTypesNode)],
    ]);
  });

  it("adds workgraph to the notebook's node_modules", () => {
    expect([...overlay.files]).toEqual([
      [
        join(notebook, "node_modules", "workgraph.d.ts"),
        'export * from "/pkg/dist/kernel/notebook.js";\n',
      ],
    ]);
  });

  it("adds nothing for @types/node when tslab has its own", () => {
    const own = notebookOverlay({ cwd: notebook, tslabDir, moduleTypes: new Map() });
    if (findTypesNode(tslabDir)?.startsWith(tslabDir)) expect(own.directories.size).toBe(0);
  });

  it("shows through TypeScript's sys, and is gone when undone", () => {
    const fallback = join(fakeTslab, "node_modules", "@types");
    const undo = installOverlay(ts.sys, overlay);
    try {
      expect(ts.sys.directoryExists(fallback)).toBe(true);
      expect(ts.sys.getDirectories(fallback)).toEqual(["node"]);
      expect(ts.sys.fileExists(join(fallback, "node", "package.json"))).toBe(true);
      expect(ts.sys.readFile(join(fallback, "node", "package.json"))).toContain(
        '"name": "@types/node"',
      );
      expect(ts.sys.realpath?.(join(fallback, "node", "index.d.ts"))).toBe(
        join(realpathSync(realTypesNode), "index.d.ts"),
      );
      const virtual = join(notebook, "node_modules", "workgraph.d.ts");
      expect(ts.sys.fileExists(virtual)).toBe(true);
      expect(ts.sys.directoryExists(join(notebook, "node_modules"))).toBe(true);
      expect(ts.sys.readFile(virtual)).toContain("export *");
      expect(ts.sys.getDirectories(notebook)).toEqual(["node_modules"]);
    } finally {
      undo();
    }
    expect(ts.sys.directoryExists(fallback)).toBe(false);
    expect(ts.sys.fileExists(join(notebook, "node_modules", "workgraph.d.ts"))).toBe(false);
  });
});
