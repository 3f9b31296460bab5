/**
 * The package as a user gets it: `npm install <checkout>` in a fresh project, then plain Node
 * ESM (and CommonJS `require`) imports it, and TypeScript type-checks against its types.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { root } from "../support/built.js";

let project: string;

function sh(command: string, args: string[], cwd = project): string {
  const env = { ...process.env, WORKGRAPH_HOME: join(project ?? cwd, ".workgraph") };
  return execFileSync(command, args, {
    cwd,
    env,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
  });
}

beforeAll(() => {
  project = mkdtempSync(join(tmpdir(), "workgraph-user-"));
  writeFileSync(
    join(project, "package.json"),
    JSON.stringify({ name: "user", private: true, type: "module" }),
  );
  sh("npm", ["install", "--no-audit", "--no-fund", "--ignore-scripts", root]);
}, 120_000);

afterAll(() => rmSync(project, { recursive: true, force: true }));

const program = `
import { task, run, waitFor, orm, WorkGraphImperativeEngine } from "workgraph";
const add = task.job(function add(x, y) { return x + y; });
const multiply = task(function multiply(x, y) { return x * y; });
async function addMultiply(x, y) {
  const a = add(x, y);
  await waitFor(a);
  return { sum: a.result, product: multiply(1, a.result).result };
}
const r = await run(WorkGraphImperativeEngine, { inputs: { workgraph_data: {
  name: "add_multiply", flow: addMultiply, function_inputs: { x: orm.Int(3), y: orm.Int(4) } } } }, { log: false });
console.log(JSON.stringify([r.sum.value, r.product.value, String(r.sum).length > 0]));
`;

describe("the installed package", () => {
  it("runs the tutorial's flow from plain Node ESM, job processes included, and exits by itself", () => {
    writeFileSync(join(project, "main.mjs"), program);
    expect(JSON.parse(sh("node", ["main.mjs"]))).toEqual([7, 7, true]);
  });

  it("loads through require(), as notebooks compiled to CommonJS do", () => {
    writeFileSync(
      join(project, "main.cjs"),
      `const { task, orm } = require("workgraph"); console.log(typeof task.job, orm.Int(3).value);`,
    );
    expect(sh("node", ["--no-warnings", "main.cjs"]).trim()).toBe("function 3");
  });

  it("type-checks a user's TypeScript against the package's types", () => {
    writeFileSync(
      join(project, "main.ts"),
      `import { task, run, waitFor, type TaskFailedError } from "workgraph";
const add = task(function add(x: number, y: number) { return x + y; });
async function flow(x: number) {
  const a = add(x, 1);
  const v: number = await waitFor(a.result);
  return { sum: add(a.result, v).result };
}
export async function main(): Promise<number> {
  const results = await run(flow, { x: 1 });
  const bad: TaskFailedError | undefined = undefined;
  void bad;
  return results.sum.value;
}
// @ts-expect-error a string is not a number input
export const wrong = () => run(async () => add("1", 2));
`,
    );
    writeFileSync(
      join(project, "tsconfig.json"),
      JSON.stringify({
        compilerOptions: {
          strict: true,
          module: "NodeNext",
          moduleResolution: "NodeNext",
          target: "ES2022",
          noEmit: true,
          types: [],
        },
        files: ["main.ts"],
      }),
    );
    const tsc = join(root, "node_modules/typescript/bin/tsc");
    expect(sh("node", [tsc, "-p", "."])).toBe("");
    // a whole type check in a child process: seconds when idle, far more on a busy machine
  }, 120_000);

  it("exports exactly the names its export list holds: a new export is a decision", () => {
    writeFileSync(
      join(project, "exports.mjs"),
      `const entries = ["workgraph", "workgraph/plumbing", "workgraph/widgets"];
const names = {};
for (const entry of entries) names[entry] = Object.keys(await import(entry)).sort();
console.log(JSON.stringify(names));`,
    );
    const expected = JSON.parse(
      readFileSync(join(root, "test/package/exports.json"), "utf8"),
    ) as unknown;
    expect(JSON.parse(sh("node", ["exports.mjs"]))).toEqual(expected);
  });

  it("ships types without the engine's internals", () => {
    const dist = join(project, "node_modules/workgraph/dist");
    const runHandle = readFileSync(join(dist, "engine/schedule/run-handle.d.ts"), "utf8");
    expect(runHandle).toContain("export declare class Run<");
    expect(runHandle).not.toMatch(/controller/i);
    expect(runHandle).not.toMatch(/constructor\(/);
  });
});
