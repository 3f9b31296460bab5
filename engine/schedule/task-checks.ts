/** Checks of a task's inputs and outputs against its schemas and its executor's limits. */
import type { z } from "zod";
import { TaskInputError, TaskOutputError } from "../model/errors.js";
import * as messages from "../model/messages.js";
import { findUnserialisable } from "../execute/serialisable.js";
import type { TaskDefinition } from "../author/task-definition.js";
import { toDataNode, type DataNode } from "../model/data-node.js";
import { parameterName } from "./task-inputs.js";

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
  const names = definition.outputs;
  if (names === undefined) return undefined;
  const record =
    typeof value === "object" && value !== null ? (value as Record<string, unknown>) : undefined;
  for (const name of names) {
    if (record === undefined || !(name in record)) {
      return new TaskOutputError(
        definition.name,
        name,
        messages.missingOutput(definition.name, name),
      );
    }
    const schema = definition.outputSchemas?.[name];
    if (schema !== undefined) {
      const result = schema.safeParse(record[name]);
      if (!result.success) {
        const issue = result.error.issues[0];
        return new TaskOutputError(
          definition.name,
          name,
          messages.outputSchemaViolation(definition.name, name, issue?.message ?? "invalid"),
        );
      }
    }
  }
  return undefined;
}

/** The data node of each output socket of a return value (`result`, or the declared ones). */
export function outputNodes(definition: TaskDefinition, value: unknown): Map<string, DataNode> {
  const nodes = new Map<string, DataNode>();
  for (const socket of definition.outputs ?? ["result"]) {
    const output = socket === "result" ? value : (value as Record<string, unknown>)[socket];
    nodes.set(socket, toDataNode(output));
  }
  return nodes;
}
