/** `workgraph example`: runs the tutorial's three flows and prints their reports and results. */
import { inspect } from "node:util";
import { defineCommand } from "../command.js";
import { COMMAND_SUMMARIES } from "../command-summaries.js";

/** `workgraph example`: the tutorial's flows from the command line. */
export const example = defineCommand({
  name: "example",
  summary: COMMAND_SUMMARIES["example"],
  options: {},
  examples: ["workgraph example", "WORKGRAPH_HOME=/tmp/wg workgraph example"],
  async run() {
    // The engine is loaded here, not at the top: `--help` and a usage error load none of it.
    const [{ closeDefaultJobPool, orm, run, task, WorkGraphImperativeEngine }, { tutorialFlows }] =
      await Promise.all([import("../../engine/index.js"), import("../tutorial-flows.js")]);
    const add = task.job(function add(x: number, y: number) {
      return x + y;
    });
    const multiply = task.job(function multiply(x: number, y: number) {
      return x * y;
    });
    const { addMultiply, addThenBranch, keepDoubling } = tutorialFlows(add, multiply);
    const flows = [
      ["add_multiply", addMultiply],
      ["add_then_branch", addThenBranch],
      ["keep_doubling", keepDoubling],
    ] as const;
    try {
      for (const [name, flow] of flows) {
        console.log(`\n=== ${name} ===`);
        const started = performance.now();
        const r = run(WorkGraphImperativeEngine, {
          inputs: {
            workgraph_data: { name, flow, function_inputs: { x: orm.Int(3), y: orm.Int(4) } },
          },
        });
        const results = await r;
        const ms = (performance.now() - started).toFixed(1);
        console.log(`graph results: ${inspect(r.graphResults, { breakLength: Infinity })}`);
        console.log(`Results (${ms} ms):`);
        console.log(inspect(results, { breakLength: 100 }));
      }
      return 0;
    } finally {
      await closeDefaultJobPool();
    }
  },
});
