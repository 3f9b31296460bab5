/** `inputNode(name)`: the running flow's input node, for lineage that must not depend on values. */
import type { DataNode } from "../model/data-node.js";
import { FlowContextError, FlowInputError } from "../model/errors.js";
import * as messages from "../model/messages.js";
import { flowStorage } from "./flow-storage.js";

/**
 * The data node of the running flow's input `name`. A flow's parameters receive values; pass
 * the node to a task where its link to the input must hold whatever the value (the task still
 * receives the value).
 *
 * @example
 * async function scaled(factor: number, x: number) {
 *   return { y: multiply(inputNode<number>("factor"), x).result };
 * }
 */
export function inputNode<T = unknown>(name: string): DataNode<T> {
  const context = flowStorage.getStore();
  if (context === undefined || context.task !== undefined) {
    throw new FlowContextError("inputNode", messages.inputNodeOutsideFlow(name));
  }
  const { scope } = context;
  const node = scope.inputNodes.get(name);
  if (node === undefined) {
    const known = [...scope.inputNodes.keys()];
    throw new FlowInputError(scope.name, name, messages.noSuchFlowInput(scope.name, name, known));
  }
  return node as DataNode<T>;
}
