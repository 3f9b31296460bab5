/** Checks of a task's inputs and outputs against its schemas and its executor's limits. */
import type { z } from "zod";
import { TaskInputError, TaskOutputError } from "../model/errors.js";
import * as messages from "../model/messages.js";
import { findUnserialisable } from "../execute/serialisable.js";
import type { TaskDefinition } from "../author/task-definition.js";
import { toDataNode, type DataNode } from "../model/data-node.js";
import { parameterName } from "./task-inputs.js";
import { checkLayout, socketsOf, valueAt } from "../author/output-layout.js";

/** Validates resolved arguments against the input schema; the error names task and input. */
export function checkInputs(
  definition: TaskDefinition,
  args: readonly unknown[],
): TaskInputError | undefined {
  const schema = definition.inputSchema;
  if (schema === undefined) return undefined;
  const params = definition.parameters;
  const isObject = "shape" in schema && typeof (schema as { shape?: unknown }).shape === "object";
  const data: unknown = isObject
    ? Object.fromEntries(args.map((a, i) => [parameterName(params, i), a]))
    : args;
  const result = schema.safeParse(data);
  if (result.success) return undefined;
  const issue = result.error.issues[0] as z.core.$ZodIssue;
  const first = issue.path[0];
  const input =
    typeof first === "number"
      ? parameterName(params, first)
      : first === undefined
        ? "(all)"
        : String(first);
  const where = issue.path.length > 1 ? ` at ${issue.path.slice(1).join(".")}` : "";
  return new TaskInputError(
    definition.name,
    input,
    messages.inputSchemaViolation(definition.name, input, issue.message + where),
  );
}

/** Whether every argument of a job can be sent to a worker process. */
export function checkSendable(
  definition: TaskDefinition,
  args: readonly unknown[],
): TaskInputError | undefined {
  for (let i = 0; i < args.length; i++) {
    const input = parameterName(definition.parameters, i);
    const bad = findUnserialisable(args[i], input);
    if (bad !== undefined) {
      return new TaskInputError(
        definition.name,
        input,
        messages.notSerialisable(definition.name, input, bad.path, bad.what),
      );
    }
  }
  return undefined;
}

/** The declared outputs of a return value, validated; or the error that fails the task. */
export function checkOutputs(
  definition: TaskDefinition,
  value: unknown,
): TaskOutputError | undefined {
  // a flow task's outputs are its child run's results, made and checked there
  const layout = definition.outputLayout;
  if (layout === undefined || definition.kind === "flow") return undefined;
  const problem = checkLayout(definition.name, layout, value);
  return problem === undefined
    ? undefined
    : new TaskOutputError(definition.name, problem.output, problem.message);
}

/** The data node of each output socket of a return value: `result`, or one per output. */
export function outputNodes(definition: TaskDefinition, value: unknown): Map<string, DataNode> {
  const nodes = new Map<string, DataNode>();
  const layout = definition.outputLayout;
  if (layout === undefined) {
    nodes.set("result", toDataNode(value));
    return nodes;
  }
  for (const socket of socketsOf(layout, value)) {
    nodes.set(socket, toDataNode(valueAt(value, socket).value));
  }
  return nodes;
}
