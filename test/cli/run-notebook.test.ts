/**
 * `workgraph run-notebook` when a cell does not end well: the kernel dies, a cell runs too
 * long, a cell raises (allowed or not). What ran is always written.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { codeCells, streamText } from "../notebooks/notebook-outputs.js";
import { waitUntilStopped } from "../support/processes.js";
import { useTempHome } from "../support/temp-home.js";
import { startRunNotebook, writeNotebook, type TestCell } from "./support/notebook-file.js";

const home = useTempHome();

async function runNotebook(name: string, cells: readonly TestCell[], extra: string[] = []) {
  const dir = home.scratch(`${name}-`);
  const file = writeNotebook(dir, name, cells);
  const out = join(dir, "out", `${name}.ipynb`);
  const html = join(dir, "out", `${name}.html`);
  const running = startRunNotebook(home.path, [file, "--out", out, "--html", html, ...extra]);
  // Far beyond what any of these notebooks needs; before the fixes they hung forever.
  const timer = setTimeout(() => running.child.kill("SIGKILL"), 90_000);
  const result = await running.ended;
  clearTimeout(timer);
  return { ...result, out, html, dir };
}

const FIRST = 'console.log("first cell ran");';
const NEVER = 'console.log("never runs");';

describe("run-notebook when the kernel dies", () => {
  for (const [how, code, cause] of [
    ["process.exit(3)", "process.exit(3);", "exit code 3"],
    ["SIGKILL", 'process.kill(process.pid, "SIGKILL");', "killed by SIGKILL"],
  ] as const) {
    it(`${how} in a cell: exits non-zero naming the cell, and writes what ran`, async () => {
      const result = await runNotebook("dies", [FIRST, code, NEVER]);
      expect(result.signal, result.stderr).toBeNull();
      expect(result.code, result.stderr).toBe(1);
      expect(result.stderr).toContain(
        `the kernel died while running cell 2 (${JSON.stringify(code)}) (${cause}); execution stopped there`,
      );
      const cells = codeCells(result.out);
      expect(streamText(cells[0]!)).toBe("first cell ran\n");
      expect(cells[1]!.outputs.at(-1)).toMatchObject({
        output_type: "error",
        ename: "DeadKernelError",
        evalue: cause,
      });
      expect(cells[2]!.outputs).toEqual([]);
      expect(readFileSync(result.html, "utf8")).toContain("first cell ran");
    }, 120_000);
  }
});

describe("run-notebook --timeout", () => {
  it("stops a cell that runs too long, names it, stops the kernel, writes what ran", async () => {
    const result = await runNotebook(
      "slow",
      ["console.log(`kernel ${process.pid}`);", "for (;;) {}", NEVER],
      // The first cell loads the TypeScript compiler: far more than the limit must pass first.
      ["--timeout", "20"],
    );
    expect(result.code, result.stderr).toBe(1);
    expect(result.stderr).toContain(
      'cell 2 ("for (;;) {}") did not finish within 20 s (--timeout); execution stopped there',
    );
    const cells = codeCells(result.out);
    const kernelPid = Number(/kernel (\d+)/.exec(streamText(cells[0]!))?.[1]);
    expect(kernelPid).toBeGreaterThan(0);
    expect(await waitUntilStopped(kernelPid)).toBe(true);
    expect(cells[1]!.outputs.at(-1)).toMatchObject({ ename: "CellTimeoutError" });
    expect(cells[2]!.outputs).toEqual([]);
  }, 120_000);

  it("names a bad value", async () => {
    const result = await runNotebook("t", [FIRST], ["--timeout", "soon"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--timeout must be a positive number of seconds, not "soon"');
    expect(existsSync(result.out)).toBe(false);
  }, 60_000);
});

describe("run-notebook and cells that raise", () => {
  const THROW = 'throw new RangeError("deliberate");';

  it("stops at a failing cell with a non-zero exit naming it", async () => {
    const result = await runNotebook("raises", [THROW, NEVER]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      `cell 1 (${JSON.stringify(THROW)}) raised RangeError: deliberate; execution stopped there`,
    );
    const cells = codeCells(result.out);
    expect(cells[0]!.outputs[0]).toMatchObject({ output_type: "error", ename: "RangeError" });
    expect(cells[1]!.outputs).toEqual([]);
  }, 120_000);

  it("goes on past a cell tagged raises-exception, exit 0", async () => {
    const result = await runNotebook("tagged", [
      { code: THROW, tags: ["raises-exception"] },
      'console.log("after the deliberate failure");',
      { code: THROW },
      NEVER,
    ]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("cell 1 (");
    expect(result.stderr).toContain("raised RangeError: deliberate (allowed; execution went on)");
    expect(result.stderr).toContain("cell 3 (");
    const cells = codeCells(result.out);
    expect(cells[0]!.outputs[0]).toMatchObject({ output_type: "error", ename: "RangeError" });
    expect(streamText(cells[1]!)).toBe("after the deliberate failure\n");
    expect(cells[3]!.outputs).toEqual([]);

    const allTagged = await runNotebook("tagged-only", [
      { code: THROW, tags: ["raises-exception"] },
      'console.log("after");',
    ]);
    expect(allTagged.code, allTagged.stderr).toBe(0);
  }, 180_000);

  it("--allow-errors goes on past every failing cell, exit 0", async () => {
    const result = await runNotebook(
      "allowed",
      [THROW, 'console.log("went on");'],
      ["--allow-errors"],
    );
    expect(result.code, result.stderr).toBe(0);
    expect(streamText(codeCells(result.out)[1]!)).toBe("went on\n");
  }, 120_000);
});
