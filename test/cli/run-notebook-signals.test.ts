/**
 * Stopping `workgraph run-notebook` from outside (SIGTERM, SIGINT, SIGKILL) while its kernel
 * spins in a cell and its job workers spin in their jobs: nothing is left running.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { codeCells } from "../notebooks/notebook-outputs.js";
import { isRunning, waitUntilStopped } from "../support/processes.js";
import { useTempHome } from "../support/temp-home.js";
import { startRunNotebook, writeNotebook } from "./support/notebook-file.js";

const home = useTempHome();

/** A cell that starts two spinning jobs, writes every pid into `dir`, then spins itself. */
function spinningCell(dir: string): string {
  return `
import { writeFileSync } from "node:fs";
import { run, task } from "workgraph";
const spin = task.job(function spin(folder: string) {
  require("node:fs").writeFileSync(require("node:path").join(folder, "job-" + process.pid), "");
  for (;;) {}
});
async function spinning(folder: string) {
  return { a: spin(folder).result, b: spin(folder).result };
}
void run(spinning, { folder: ${JSON.stringify(dir)} }, { log: false });
while (require("node:fs").readdirSync(${JSON.stringify(dir)}).length < 2) {
  await new Promise((resolve) => setTimeout(resolve, 50));
}
writeFileSync(${JSON.stringify(join(dir, "kernel"))}, String(process.pid));
for (;;) {}
`;
}

async function pidsOnceSpinning(dir: string, ms = 90_000): Promise<number[]> {
  const deadline = Date.now() + ms;
  while (!existsSync(join(dir, "kernel"))) {
    if (Date.now() > deadline) throw new Error("the cell did not start spinning");
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const jobs = readdirSync(dir)
    .filter((f) => f.startsWith("job-"))
    .map((f) => Number(f.slice(4)));
  return [Number(readFileSync(join(dir, "kernel"), "utf8")), ...jobs];
}

describe.each([
  ["SIGTERM", 143],
  ["SIGINT", 130],
  ["SIGKILL", null],
] as const)("run-notebook stopped by %s", (signal, exitCode) => {
  it("leaves neither the kernel nor its job workers running", async () => {
    const dir = home.scratch(`${signal}-`);
    const pids = home.scratch(`${signal}-pids-`);
    const file = writeNotebook(dir, "spins", ['console.log("first");', spinningCell(pids)]);
    const out = join(dir, "out.ipynb");
    const running = startRunNotebook(home.path, [file, "--out", out]);
    try {
      const [kernel, ...jobs] = await pidsOnceSpinning(pids);
      expect(jobs).toHaveLength(2);
      expect([kernel!, ...jobs].every(isRunning)).toBe(true);
      running.child.kill(signal);
      const ended = await running.ended;
      for (const pid of [kernel!, ...jobs]) {
        expect(await waitUntilStopped(pid, 5000), `pid ${pid} after ${signal}`).toBe(true);
      }
      if (exitCode === null) {
        expect(ended.signal).toBe("SIGKILL");
        return;
      }
      // Caught: the run stops the kernel's process group and writes what ran.
      expect(ended.code, ended.stderr).toBe(exitCode);
      expect(ended.stderr).toContain(`${signal} while running cell 2`);
      const cells = codeCells(out);
      expect(cells[0]!.outputs[0]).toMatchObject({ output_type: "stream", text: ["first\n"] });
      expect(cells[1]!.outputs.at(-1)).toMatchObject({ ename: "KeyboardInterrupt" });
    } finally {
      running.child.kill("SIGKILL");
    }
  }, 150_000);
});
