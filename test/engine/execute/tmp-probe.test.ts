import { test } from "vitest";
import { createJobPool } from "../../../engine/execute/job-pool.js";
test("probe", () => {
  const f = function outer(x: number) { const inner = (y: number) => y + 1; function named() { return 1; } return inner(x) + named(); };
  const g = async (x: number) => { const { a, ...rest } = { a: 1, b: x }; return { ...rest, a }; };
  console.log(f.toString()); console.log(g.toString()); console.log(String(createJobPool));
});
