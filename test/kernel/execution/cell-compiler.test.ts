/**
 * Cells through the cell compiler and executor in this process (no kernel): what earlier cells
 * declared is seen, shadowed and kept as IPython would; a file of the notebook's folder is
 * compiled with the cell that imports it, and again once it changes.
 */
import { mkdtempSync, realpathSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CodeExecution, ExecutionOutcome } from "../../../kernel/execution/code-execution.js";
import { createTsExecution } from "../../../kernel/execution/tslab-execution.js";

let folder: string;
let previousCwd: string;
let execution: CodeExecution;

beforeAll(() => {
  folder = realpathSync(mkdtempSync(join(tmpdir(), "workgraph-compiler-")));
  previousCwd = process.cwd();
  process.chdir(folder);
  execution = createTsExecution({ modules: new Map() });
}, 60_000);

afterAll(() => {
  execution?.close();
  process.chdir(previousCwd);
  rmSync(folder, { recursive: true, force: true });
});

const value = (outcome: ExecutionOutcome): unknown =>
  outcome.status === "ok" ? outcome.result?.value : outcome;

describe("the cell compiler", () => {
  // the first cell also loads the compiler and TypeScript's lib files: seconds on a busy machine
  it("reads earlier cells' names, in shorthand properties and destructured declarations too", async () => {
    await execution.execute("const { a, b: [c] } = { a: 1, b: [2] };\nlet count = 1;");
    expect(value(await execution.execute("count++;\n({ a, c, count })"))).toEqual({
      a: 1,
      c: 2,
      count: 2,
    });
    expect(value(await execution.execute("count = 10;\ncount + a"))).toBe(11);
  }, 60_000);

  it("lets a cell declare a name again, with another type, and keeps earlier types", async () => {
    await execution.execute("interface Point { x: number }\nconst p: Point = { x: 3 };");
    expect(value(await execution.execute('const p = "text";\np.length'))).toBe(4);
    expect(value(await execution.execute("const q: Point = { x: 5 };\nq.x"))).toBe(5);
    const wrong = await execution.execute("const r: Point = { x: p };");
    expect(wrong).toMatchObject({
      status: "diagnostics",
      diagnostics: [
        { line: 1, column: 20, message: "Type 'string' is not assignable to type 'number'." },
      ],
    });
  });

  it("keeps the last value of a cell that declares names and ends on a comment", async () => {
    expect(value(await execution.execute("const shown = { a: 1 };\nshown // a comment"))).toEqual({
      a: 1,
    });
    expect(value(await execution.execute("const n = 2;\nn /* a comment */\n// and another"))).toBe(
      2,
    );
  });

  it("runs top-level await, for await included, and keeps the last value", async () => {
    const cell = [
      "let total = 0;",
      "async function* numbers() { yield 1; yield 2; }",
      "for await (const n of numbers()) total += await Promise.resolve(n);",
      "total",
    ].join("\n");
    expect(value(await execution.execute(cell))).toBe(3);
  });

  it("compiles a file of the folder the cell imports, and again once it changed", async () => {
    const helper = join(folder, "helper.ts");
    writeFileSync(helper, "export const twice = (n: number): number => n * 2;\n");
    expect(value(await execution.execute('import { twice } from "./helper";\ntwice(4)'))).toBe(8);
    writeFileSync(helper, "export const twice = (n: number): string => `${n}${n}`;\n");
    const later = new Date(Date.now() + 5_000);
    utimesSync(helper, later, later);
    expect(value(await execution.execute('import { twice } from "./helper";\ntwice(4)'))).toBe(
      "44",
    );
    const mistyped = await execution.execute("const n: number = twice(1);");
    expect(mistyped).toMatchObject({ status: "diagnostics" });
  });
});
