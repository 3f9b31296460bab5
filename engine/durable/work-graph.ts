/**
 * `WorkGraph`: a declarative graph (tasks and links built first, then run). It runs as the flow
 * generated from it, through `run()`: the same engine, events, store and live display as any
 * flow, and inside a flow it is a child run. `submit()` sends it to the profile's daemon.
 */
import { GraphBuilder } from "../author/graph-builder.js";
import { run, type RunOptions } from "../schedule/run.js";
import type { Run } from "../schedule/run-handle.js";
import { submitGraph, type SubmitOptions } from "./submit.js";
import type { SubmittedRun } from "./submitted-run.js";

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

  /**
   * Validates the graph and submits it to the profile's daemon, as `submit()` does a flow: the
   * run is stored and queued, and the handle comes back at once. The graph travels as the
   * source of its flow (its tasks must be sendable, as a notebook flow's are), or as a module's
   * export with `{ module: import.meta.url }`.
   */
  submit(
    inputs: Readonly<Record<string, unknown>> = {},
    options?: SubmitOptions,
  ): SubmittedRun<Record<string, unknown>> {
    return submitGraph(this, inputs, options);
  }
}
