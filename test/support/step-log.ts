/**
 * A chain of job steps that write when each starts and ends to a log file, for the tests that
 * pause, play and kill runs from outside (the daemon, workers on a profile, the live page).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";

/**
 * Module source of `chain(dir, steps, ms)`: step i adds i to the sum, sleeps 100 ms (steps 1
 * and 2) or `ms` (the rest), and logs "start i at pid" and "end i at" to `dir/steps.log`.
 * While the file `dir/hold` exists, steps from 3 on do not end: a test holds the run there until
 * it has done what must happen while the run goes on, however busy the machine.
 * `WG` stands for the path the test imports workgraph from.
 */
export const CHAIN = `
import { task } from "WG";
export const step = task.job(async function step(dir, i, acc, ms) {
  const fs = require("node:fs");
  fs.appendFileSync(dir + "/steps.log", "start " + i + " " + Date.now() + " " + process.pid + "\\n");
  await new Promise((resolve) => setTimeout(resolve, i >= 3 ? ms : 100));
  while (i >= 3 && fs.existsSync(dir + "/hold")) await new Promise((resolve) => setTimeout(resolve, 20));
  fs.appendFileSync(dir + "/steps.log", "end " + i + " " + Date.now() + "\\n");
  return acc + i;
});
export async function chain(dir, steps, ms) {
  let acc = 0;
  for (let i = 1; i <= steps; i++) acc = step(dir, i, acc, ms).result;
  return { total: acc };
}
`;

/** One line of the steps' log. */
export interface StepLine {
  readonly what: "start" | "end" | "";
  readonly step: number;
  readonly at: number;
  readonly pid: number;
}

/** The lines the steps have written to `dir/steps.log` so far. */
export function stepLines(dir: string): StepLine[] {
  let text = "";
  try {
    text = readFileSync(join(dir, "steps.log"), "utf8");
  } catch {
    return [];
  }
  return text
    .trim()
    .split("\n")
    .filter((l) => l !== "")
    .map((l) => {
      const [what, step, at, pid] = l.split(" ");
      const kind = what === "start" || what === "end" ? what : "";
      return { what: kind, step: Number(step), at: Number(at), pid: Number(pid ?? 0) };
    });
}

/** Resolves once `check()` holds; throws naming `what` after `ms`. */
export async function waitFor(check: () => boolean, what: string, ms = 120_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
