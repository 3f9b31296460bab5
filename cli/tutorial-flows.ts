/** The tutorial's three flows, built over any pair of add / multiply tasks. */
import { waitFor, type TaskFunction } from "../engine/index.js";

type Binary = TaskFunction<[number, number], number>;

/** add_multiply, add_then_branch and keep_doubling over the given tasks. */
export function tutorialFlows(add: Binary, multiply: Binary) {
  async function addMultiply(x: number, y: number) {
    const a = add(x, y);
    const b = multiply(1, a.result);
    return { sum: a.result, product: b.result };
  }

  async function addThenBranch(x: number, y: number) {
    const a = add(x, y);
    await waitFor(a);
    const m = a.result.value > 10 ? multiply(1, a.result) : multiply(-1, a.result);
    return { sum: a.result, multiply: m.result };
  }

  async function keepDoubling(x: number, y: number) {
    let outputs = add(x, y);
    await waitFor(outputs);
    while (outputs.result.value < 10) {
      const outputs1 = add(outputs.result, 1);
      outputs = multiply(outputs1.result, 2);
      await waitFor(outputs);
    }
    return { sum: outputs.result };
  }

  return { addMultiply, addThenBranch, keepDoubling };
}
