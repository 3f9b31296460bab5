/**
 * A flow of `n` job tasks for the worker tests: each appends its index to `dir/effects.log`
 * (its side effect), sleeps 40 ms and doubles it; a total sums them.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";

/** Module source of `fanOut(dir, n)`; `WG` stands for the path workgraph is imported from. */
export const FAN_OUT = `
import { task } from "WG";
export const unit = task.job(async function unit(dir, i) {
  const fs = require("node:fs");
  fs.appendFileSync(dir + "/effects.log", i + "\\n");
  await new Promise((resolve) => setTimeout(resolve, 40));
  return i * 2;
});
export const total = task(function total(values) {
  return values.reduce((a, b) => a + b, 0);
});
export async function fanOut(dir, n) {
  const outputs = [];
  for (let i = 0; i < n; i++) outputs.push(unit(dir, i).result);
  return { total: total(outputs).result };
}
`;

/** How many times each task's side effect happened, by index. */
export function effects(dir: string): Map<number, number> {
  const seen = new Map<number, number>();
  let text = "";
  try {
    text = readFileSync(join(dir, "effects.log"), "utf8");
  } catch {
    return seen;
  }
  for (const line of text.trim().split("\n").filter(Boolean)) {
    seen.set(Number(line), (seen.get(Number(line)) ?? 0) + 1);
  }
  return seen;
}
