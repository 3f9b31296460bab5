/**
 * The shapes the store benchmarks run, the same as the peers': a fan-out of `add(i, 1)` tasks
 * then one sum of all their results, and a chain of `add(previous, 1)`.
 */
import { task } from "../engine/index.js";

const add = task(function add(x: number, y: number) {
  return x + y;
});
const sum = task(function sum(values: number[]) {
  return values.reduce((a, b) => a + b, 0);
});

/** `n` independent `add(i, 1)` tasks, then one that sums them all (`n + 1` tasks). */
export async function addFanOut(n: number) {
  const parts = [];
  for (let i = 0; i < n; i++) parts.push(add(i, 1).result);
  return { total: sum(parts).result };
}

/** `n` tasks, each adding 1 to the one before. */
export async function addChain(n: number) {
  let last = add(0, 1);
  for (let i = 1; i < n; i++) last = add(last.result, 1);
  return { last: last.result };
}
