/** Stored runs and tasks as JSON, for `process list --json` and `process show --json`. */
import { ProcessNode } from "../../engine/index.js";

/** A run or task: its fields, and for a run how many tasks it called. */
export function processJson(node: ProcessNode): Record<string, unknown> {
  return {
    pk: node.pk,
    uuid: node.uuid,
    type: node.type,
    name: node.name,
    state: node.state,
    exitCode: node.exitCode ?? null,
    ctime: node.ctime.toISOString(),
    startedAt: node.startedAt?.toISOString() ?? null,
    endedAt: node.endedAt?.toISOString() ?? null,
    attributes: node.attributes,
    ...(node.type === "run" ? { tasks: node.taskCount() } : {}),
  };
}

/** A run or task with its outputs (values), and for a run its tasks. */
export function showJson(node: ProcessNode): Record<string, unknown> {
  const outputs = node.outputs().map(({ label, node: out }) => ({
    label,
    pk: out.pk,
    value: out instanceof ProcessNode ? null : out.value,
  }));
  const inputs = node.inputs().map(({ label, node: input }) => ({
    label,
    pk: input.pk,
    value: input instanceof ProcessNode ? null : input.value,
  }));
  return {
    ...processJson(node),
    inputs,
    outputs,
    ...(node.type === "run" ? { tasks: node.tasks().map((t) => processJson(t)) } : {}),
  };
}
