/**
 * Cells in a real kernel process, driven by the project's own client: packages resolve as
 * Node resolves them (every entry of ours, and packages with only `"exports"` in a parent
 * folder), tracebacks point at the cell's own lines, and a failing cell keeps what it declared.
 */
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { KernelSession } from "../support/kernel-session.js";

let scratch: string;
let kernel: KernelSession;

/** A package that lists its entries (types and code) only under "exports". */
function writeExportsOnlyPackage(modules: string): void {
  const dir = join(modules, "exports-only");
  mkdirSync(dir, { recursive: true });
  const entry = (types: string, require: string) => ({ types, require });
  writeFileSync(
    join(dir, "package.json"),
    JSON.stringify({
      name: "exports-only",
      version: "1.0.0",
      exports: {
        ".": entry("./lib/main.d.cts", "./lib/main.cjs"),
        "./answer": entry("./lib/answer.d.cts", "./lib/answer.cjs"),
      },
    }),
  );
  mkdirSync(join(dir, "lib"));
  writeFileSync(
    join(dir, "lib", "main.d.cts"),
    "export declare function greet(name: string): string;\n",
  );
  writeFileSync(join(dir, "lib", "main.cjs"), 'exports.greet = (name) => "hello " + name;\n');
  writeFileSync(join(dir, "lib", "answer.d.cts"), "export declare const answer: number;\n");
  writeFileSync(join(dir, "lib", "answer.cjs"), "exports.answer = 42;\n");
}

beforeAll(async () => {
  scratch = realpathSync(mkdtempSync(join(tmpdir(), "workgraph-cells-")));
  // node_modules two folders above the notebook's, as `npm i` in a project's root leaves it.
  writeExportsOnlyPackage(join(scratch, "project", "node_modules"));
  const notebooks = join(scratch, "project", "analysis", "notebooks");
  mkdirSync(notebooks, { recursive: true });
  kernel = await KernelSession.start(notebooks);
}, 120_000);

afterAll(async () => {
  await kernel?.stop();
  rmSync(scratch, { recursive: true, force: true });
});

describe("imports", () => {
  it("resolves every entry of the package, from a folder without node_modules", async () => {
    const cell = await kernel.execute(
      [
        'import { gui, dagSpec } from "workgraph/widgets";',
        'import { setDefaultLog } from "workgraph/plumbing";',
        'import { run } from "workgraph";',
        "[typeof gui, typeof dagSpec, typeof setDefaultLog, typeof run].join()",
      ].join("\n"),
    );
    expect(cell.error).toBeUndefined();
    expect(cell.result).toBe("'function,function,function,function'");
  }, 60_000);

  it("resolves a parent folder's package listed only under exports, types and code", async () => {
    const ok = await kernel.execute(
      [
        'import { greet } from "exports-only";',
        'import { answer } from "exports-only/answer";',
        '`${greet("you")} ${answer + 1}`',
      ].join("\n"),
    );
    expect(ok.error).toBeUndefined();
    expect(ok.result).toBe("'hello you 43'");
    // The types are the package's own, not `any`: a wrong use is a type error.
    const wrong = await kernel.execute(
      'import { answer } from "exports-only/answer";\nconst text: string = answer;',
    );
    expect(wrong.error).toMatchObject({
      ename: "TypeScriptError",
      evalue: "Type 'number' is not assignable to type 'string'.",
    });
  }, 60_000);
});

describe("a cell that throws", () => {
  it("keeps the imports and values it declared before the error, not those after", async () => {
    const failing = await kernel.execute(
      [
        'import { task } from "workgraph";',
        "const before = 1;",
        'throw new Error("boom");',
        "const after = 2;",
      ].join("\n"),
    );
    expect(failing.error).toMatchObject({ ename: "Error", evalue: "boom" });
    const later = await kernel.execute('typeof task + " " + before');
    expect(later.result).toBe("'function 1'");
    const unreached = await kernel.execute("after");
    expect(unreached.error).toMatchObject({
      ename: "TypeScriptError",
      evalue: "Cannot find name 'after'.",
    });
    const declaredAgain = await kernel.execute("const after = 3;\nafter + before");
    expect(declaredAgain.result).toBe("4");
  }, 60_000);
});

describe("tracebacks", () => {
  const at = (count: unknown, line: number, column: number) =>
    `In[${String(count)}]:${line}:${column}`;

  it("point at the cell's lines and columns, across cells", async () => {
    const defining = await kernel.execute(
      ["// a helper", "function fail(): never {", '  throw new RangeError("deep");', "}"].join(
        "\n",
      ),
    );
    const calling = await kernel.execute("const n: number = 1;\n\nfail();");
    const traceback = (calling.error?.traceback as string[]).join("\n");
    expect(calling.error).toMatchObject({ ename: "RangeError", evalue: "deep" });
    expect(traceback).toContain(`at fail (${at(defining.reply.execution_count, 3, 9)})`);
    expect(traceback).toContain(`at ${at(calling.reply.execution_count, 3, 1)}`);
    expect(traceback).not.toContain("evalmachine");
  }, 60_000);

  it("show a failed task's and a failed job's own lines, without the engine's frames", async () => {
    const cell = await kernel.execute(
      [
        'import { task, run } from "workgraph";',
        "const explode = task(function explode(x: number): number {",
        '  if (x > 0) throw new Error("task failed");',
        "  return x;",
        "});",
        "await run(async function flow() { return { r: explode(1).result }; }, {}, { log: false });",
      ].join("\n"),
    );
    const traceback = (cell.error?.traceback as string[]).join("\n");
    expect(traceback).toContain(`at explode (${at(cell.reply.execution_count, 3, 20)})`);
    expect(traceback).not.toMatch(/engine\//);
    const job = await kernel.execute(
      [
        'import { task, run } from "workgraph";',
        "const safeLog = task.job(function safeLog(x: number): number {",
        "  const y = x + 1;",
        '  throw new Error("job failed " + y);',
        "});",
        "await run(async function flow() { return { r: safeLog(1).result }; }, {}, { log: false });",
      ].join("\n"),
    );
    const jobTraceback = (job.error?.traceback as string[]).join("\n");
    expect(jobTraceback).toContain("job failed 2");
    expect(jobTraceback).toContain(`at safeLog (${at(job.reply.execution_count, 4, 9)})`);
    expect(jobTraceback).not.toMatch(/engine\/|job:safeLog/);
  }, 60_000);
});
