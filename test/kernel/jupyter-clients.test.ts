/**
 * The kernel as Jupyter's own clients use it: jupyter_kernel_test's standard tests,
 * jupyter_client scenarios (test_client.py), and a notebook executed by nbconvert. Each runs
 * in a fresh folder without node_modules, with the kernelspec installed under a temp prefix.
 */
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { installKernel } from "../../kernel/install.js";
import { root } from "../support/built.js";
import { PYTHON, runProcess, type Finished } from "./support/python.js";

const here = join(root, "test", "kernel");
let scratch: string;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  scratch = mkdtempSync(join(tmpdir(), "workgraph-jupyter-"));
  const prefix = join(scratch, "prefix");
  await installKernel({ scope: { kind: "prefix", prefix } });
  env = {
    ...process.env,
    JUPYTER_PATH: join(prefix, "share", "jupyter"),
    JUPYTER_RUNTIME_DIR: join(scratch, "runtime"),
    WORKGRAPH_HOME: join(scratch, "home"),
  };
}, 180_000);

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** A new empty folder to run a client in: the kernel starts there, with no node_modules. */
function folder(name: string): string {
  return mkdtempSync(join(scratch, `${name}-`));
}

/** The three clients run at once (each mostly waits on its kernels); each test awaits one. */
let kernelTest: Promise<Finished>;
let clientTest: Promise<Finished>;
let nbconvert: Promise<{ run: Finished; dir: string }>;

beforeAll(() => {
  kernelTest = runProcess(PYTHON, [join(here, "jupyter", "test_kernel_spec.py")], {
    cwd: folder("kernel-test"),
    env,
    timeoutMs: 150_000,
  });
  clientTest = runProcess(PYTHON, [join(here, "jupyter", "test_client.py")], {
    cwd: folder("client"),
    env,
    timeoutMs: 150_000,
  });
  const dir = folder("nbconvert");
  copyFileSync(join(here, "fixtures", "add_multiply.ipynb"), join(dir, "add_multiply.ipynb"));
  nbconvert = runProcess(
    "/usr/bin/jupyter",
    ["nbconvert", "--to", "notebook", "--execute", "add_multiply.ipynb", "--output", "out.ipynb"],
    { cwd: dir, env, timeoutMs: 150_000 },
  ).then((run) => ({ run, dir }));
});

describe("the kernel under Jupyter's clients", () => {
  it("passes jupyter_kernel_test's standard tests", async () => {
    const run = await kernelTest;
    expect(run.output).toMatch(/^OK/m);
    expect(run.code, run.output).toBe(0);
  }, 160_000);

  it("routes output, interrupts, checks signatures, echoes comms and shows runs live", async () => {
    const run = await clientTest;
    expect(run.output).toMatch(/^OK/m);
    expect(run.code, run.output).toBe(0);
  }, 160_000);

  it("executes a notebook with nbconvert: report lines, final display, result", async () => {
    const { run, dir } = await nbconvert;
    expect(run.code, run.output).toBe(0);
    const notebook = JSON.parse(readFileSync(join(dir, "out.ipynb"), "utf8")) as {
      cells: {
        outputs?: {
          output_type: string;
          text?: string[];
          data?: Record<string, string[]>;
          metadata?: Record<string, unknown>;
        }[];
      }[];
    };
    const outputs = notebook.cells.flatMap((cell) => cell.outputs ?? []);
    const text = (lines: string[] | undefined) => (lines ?? []).join("");
    // a run's report lines are a display of their own (text as printed, and HTML)
    const isLog = (o: (typeof outputs)[number]) => o.metadata?.workgraph === "log";
    const logs = outputs.filter(isLog);
    expect(logs.map((o) => text(o.data?.["text/plain"])).join("")).toContain(
      "Task: multiply, type: in-process, finished.",
    );
    expect(logs.every((o) => text(o.data?.["text/html"]).includes("workgraph-log-line"))).toBe(
      true,
    );
    const log = outputs.filter((o) => o.output_type === "stream").map((o) => text(o.text));
    const shown = outputs.filter((o) => o.output_type === "display_data" && !isLog(o));
    expect(shown).toHaveLength(1);
    const bundle = shown[0]?.data ?? {};
    expect(text(bundle["text/plain"])).toBe("add_multiply: 2 tasks, 2 FINISHED");
    expect(Object.keys(bundle).sort()).toEqual([
      "application/vnd.vegalite.v5+json",
      "image/png",
      "image/svg+xml",
      "text/plain",
    ]);
    expect(text(bundle["image/svg+xml"])).toContain("multiply");
    const result = outputs.find((o) => o.output_type === "execute_result");
    expect(text(result?.data?.["text/plain"])).toBe("14");
    expect(log.join("")).toContain("sum 7, product 7");
  }, 160_000);
});
