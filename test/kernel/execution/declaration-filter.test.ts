/** The declarations a failing cell leaves: what it reached stays, what it never reached goes. */
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import type * as TypeScript from "@tslab/typescript-for-tslab";
import { describe, expect, it } from "vitest";
import { keptDeclarations } from "../../../kernel/execution/declaration-filter.js";

const tslabDir = dirname(createRequire(import.meta.url).resolve("tslab/package.json"));
const ts = createRequire(join(tslabDir, "package.json"))(
  "@tslab/typescript-for-tslab",
) as typeof TypeScript;

const declarations = [
  'import { z, type ZodType } from "zod";',
  'import * as path from "node:path";',
  "declare const a = 1;",
  "declare const b = 2, d: number, e: number;",
  "interface I {\n    x: number;\n}",
  "declare function f(): void;",
  "declare class C {\n}",
  "declare enum E {\n    A = 0\n}",
  "declare const old: number;",
].join("\n");

describe("keptDeclarations", () => {
  it("keeps everything when every value was reached", () => {
    expect(keptDeclarations(ts, declarations, new Set())).toBe(declarations);
  });

  it("drops the unreached values only, keeping types and the rest of their statements", () => {
    const kept = keptDeclarations(ts, declarations, new Set(["b", "e", "f", "C", "E", "z"]));
    expect(kept.split("\n")).toEqual([
      'import { type ZodType } from "zod";',
      'import * as path from "node:path";',
      "declare const a = 1;",
      "declare const d: number;",
      "interface I {",
      "    x: number;",
      "}",
      "declare const old: number;",
      "",
    ]);
  });

  it("drops an import whose every name was unreached", () => {
    const kept = keptDeclarations(
      ts,
      'import { z } from "zod";\ndeclare let n: number;',
      new Set(["z"]),
    );
    expect(kept).toBe("declare let n: number;\n");
  });
});
