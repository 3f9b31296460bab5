/**
 * `WorkGraph`: a declarative graph (tasks and links built first, then run). It runs as the flow
 * generated from it, through `run()`: the same engine, events, store and live display as any
 * flow, and inside a flow it is a child run.
 */
import { GraphBuilder } from "../author/graph-builder.js";
import { run, type RunOptions } from "./run.js";
import type { Run } from "./run-handle.js";

/**
 * A graph of tasks built before it runs.
 *
 * @example
 * const wg = new WorkGraph("add_multiply");
 * const a = wg.addTask(add, { x: wg.inputs.x, y: wg.inputs.y });
 * const m = wg.addTask(multiply, { x: a.outputs.result, y: 2 }, { name: "mul" });
 * wg.addOutput("product", m.outputs.result);
 * const results = await wg.run({ x: 3, y: 4 }); // results.product.value === 14
 */
export class WorkGraph extends GraphBuilder {
  /**
   * Validates the graph and runs it (a child run when called inside a flow); await the run for
   * the graph's outputs. A graph that cannot run throws before anything is stored.
   */
  run(
    inputs: Readonly<Record<string, unknown>> = {},
    options: RunOptions = {},
  ): Run<Record<string, unknown>> {
    this.validate(inputs);
    return run(this.toFlow(), inputs, { name: this.name, ...options });
  }
}
