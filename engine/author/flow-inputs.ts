/**
 * Binds named run inputs to a flow's parameters, as Python binds keyword arguments. Each input
 * becomes a data node; the flow receives their values (`flow-values.ts` says how, and how tasks
 * fed from them stay linked to the nodes).
 */
import type { DataNode } from "../model/data-node.js";
import { toDataNode } from "../model/data-node.js";
import { FlowInputError } from "../model/errors.js";
import * as messages from "../model/messages.js";
import { parameterList } from "./function-params.js";
import type { FlowInputValues } from "./flow-values.js";

/** The data node of each named input. */
export interface BoundInputs {
  readonly nodes: ReadonlyMap<string, DataNode>;
}

/** Checks the inputs against the flow's parameters and binds them by name. */
export function bindFlowInputs(
  flowName: string,
  flow: (...args: never[]) => unknown,
  inputs: Readonly<Record<string, unknown>>,
): BoundInputs {
  const parameters = parameterList(flow);
  const nodes = new Map<string, DataNode>();
  for (const [key, value] of Object.entries(inputs)) nodes.set(key, toDataNode(value));
  if (parameters.objectParameter) return { nodes };
  const known = parameters.rest ? parameters.names.slice(0, -1) : parameters.names;
  for (const key of nodes.keys()) {
    if (!known.includes(key)) {
      throw new FlowInputError(flowName, key, messages.unknownFlowInput(flowName, key, known));
    }
  }
  known.forEach((name, index) => {
    if (!nodes.has(name) && parameters.optional[index] !== true) {
      throw new FlowInputError(flowName, name, messages.missingFlowInput(flowName, name));
    }
  });
  return { nodes };
}

/** The arguments a flow is called with: its inputs' values by parameter name. */
export function flowArguments(
  flow: (...args: never[]) => unknown,
  values: FlowInputValues,
): unknown[] {
  const parameters = parameterList(flow);
  if (parameters.objectParameter) {
    return [Object.fromEntries([...values.nodes.keys()].map((name) => [name, values.value(name)]))];
  }
  const known = parameters.rest ? parameters.names.slice(0, -1) : parameters.names;
  return known.map((name) => values.value(name));
}
