/**
 * A WorkGraph travels to the daemon as the source of the flow that runs it: one call per task
 * in graph order, each input written as the expression that gives it (a literal, an output of
 * an earlier call, or `inputNode("x")` for an input of the graph, so its link is exact), and
 * the graph's outputs returned. The tasks go along as `task()`/`task.job()` definitions, as a
 * notebook flow's do; their own free identifiers are looked up where the graph was built.
 */
import { isPlainObject } from "../model/data-node.js";
import type { GraphBuilder } from "../author/graph-builder.js";
import { graphOrder, positional } from "../author/graph-order.js";
import { GraphSocket, type WorkGraphTask } from "../author/graph-task.js";
import { inputNode } from "../author/input-node.js";
import { UnsendableFlowError } from "./errors.js";
import * as messages from "./messages.js";
import type { ScopeLookup } from "./flow-source.js";

/** The flow's source text and what its free identifiers stand for. */
export interface GraphSource {
  /** The flow's name: the graph's name as an identifier. */
  readonly name: string;
  readonly source: string;
  readonly scope: ScopeLookup;
}

/** The source of the flow that runs `graph`; throws UnsendableFlowError for what cannot go. */
export function graphSource(graph: GraphBuilder): GraphSource {
  const name = `graph_${graph.name.replace(/[^\w$]/g, "_")}`;
  const { order } = graphOrder(graph.tasks);
  const index = new Map(order.map((task, i) => [task, i]));
  const values = new Map<string, unknown>([["inputNode", inputNode]]);
  const expression = (value: unknown, where: string, depth = 0): string => {
    if (value instanceof GraphSocket) {
      if (value.task === undefined) return `inputNode(${JSON.stringify(value.name)})`;
      const call = `t${index.get(value.task) ?? -1}`;
      return value.name === "result"
        ? `${call}.result`
        : `${call}.outputs[${JSON.stringify(value.name)}]`;
    }
    if (value === undefined) return "undefined";
    if (value === null || ["number", "string", "boolean"].includes(typeof value)) {
      if (typeof value === "number" && !Number.isFinite(value)) return String(value);
      return JSON.stringify(value);
    }
    if (depth < 32 && Array.isArray(value)) {
      return `[${value.map((v, i) => expression(v, `${where}[${i}]`, depth + 1)).join(", ")}]`;
    }
    if (depth < 32 && typeof value === "object" && isPlainObject(value)) {
      const parts = Object.entries(value).map(
        ([k, v]) => `${JSON.stringify(k)}: ${expression(v, `${where}.${k}`, depth + 1)}`,
      );
      return `{ ${parts.join(", ")} }`;
    }
    throw new UnsendableFlowError(graph.name, where, messages.unsendableInput(graph.name, where));
  };
  const lines = order.map((task, i) => {
    values.set(`task${i}`, sendableTask(graph.name, task));
    const named = new Map<string, string>();
    for (const [input, value] of task.given) {
      named.set(input, expression(value, `${task.name}.${input}`));
    }
    const args = task.openInputs
      ? [`{ ${[...named].map(([k, v]) => `${JSON.stringify(k)}: ${v}`).join(", ")} }`]
      : positional(task, named).map((arg) => (typeof arg === "string" ? arg : "undefined"));
    return `  const t${i} = task${i}(${args.join(", ")});`;
  });
  const outputs = [...graph.outputs].map(
    ([output, socket]) => `${JSON.stringify(output)}: ${expression(socket, output)}`,
  );
  const source = [
    `async function ${name}({ ...inputs }) {`,
    ...lines,
    `  return { ${outputs.join(", ")} };`,
    `}`,
  ].join("\n");
  return {
    name,
    source,
    scope: (identifier) => (values.has(identifier) ? { value: values.get(identifier) } : undefined),
  };
}

/** A task of the graph as a value the source capture sends: its definition, named as in the graph. */
function sendableTask(graphName: string, task: WorkGraphTask): unknown {
  if (task.definition.kind === "flow") {
    throw new UnsendableFlowError(
      graphName,
      task.name,
      messages.graphWithFlow(graphName, task.name),
    );
  }
  return Object.assign(() => undefined, { definition: task.definition });
}
