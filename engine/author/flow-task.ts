/**
 * A flow called from a flow: `task.flow(inner)` makes it a task whose call runs `inner` as a
 * child run (its own process node, called by the parent's task node), and `run(inner, inputs)`
 * inside a flow does the same with named inputs.
 */
import { z } from "zod";
import { FlowInputError } from "../model/errors.js";
import { checkKnownKeys } from "../model/known-keys.js";
import * as messages from "../model/messages.js";
import { parameterList } from "./function-params.js";
import type { TaskDefinition } from "./task-definition.js";
import { DYNAMIC_LAYOUT } from "./output-layout.js";

/** Options of `task.flow()`. */
export interface FlowTaskOptions {
  /** The task's (and the child run's) name; defaults to the flow's name. */
  readonly name?: string;
}

const optionsSchema = z.object({ name: z.string().min(1).optional() });

/** What the scheduler knows of a flow called as a task. */
export function flowDefinition(
  flow: (...args: never[]) => unknown,
  options?: FlowTaskOptions,
): TaskDefinition {
  if (typeof flow !== "function") throw new TypeError(messages.notAFlow(typeof flow));
  const name = (options?.name ?? flow.name) || "flow";
  checkKnownKeys(`task.flow ${name}`, options, Object.keys(optionsSchema.shape));
  const parsed = optionsSchema.safeParse(options ?? {});
  if (!parsed.success) {
    throw new TypeError(`Options of task.flow ${name}: ${z.prettifyError(parsed.error)}`);
  }
  return {
    name,
    kind: "flow",
    fn: flow,
    source: undefined,
    parameters: parameterList(flow),
    outputs: undefined,
    dynamicOutputs: true,
    outputLayout: DYNAMIC_LAYOUT,
    outputSchemas: undefined,
    inputSchema: undefined,
    timeoutMs: undefined,
    retries: 0,
  };
}

/** Named inputs as the flow's positional arguments; unknown and missing ones are refused. */
export function positionalInputs(
  definition: TaskDefinition,
  inputs: Readonly<Record<string, unknown>>,
): unknown[] {
  const parameters = definition.parameters;
  if (parameters.objectParameter) return [inputs];
  const flowName = definition.name;
  const known = parameters.rest ? parameters.names.slice(0, -1) : parameters.names;
  for (const key of Object.keys(inputs)) {
    if (!known.includes(key)) {
      throw new FlowInputError(flowName, key, messages.unknownFlowInput(flowName, key, known));
    }
  }
  known.forEach((name, index) => {
    if (!(name in inputs) && parameters.optional[index] !== true) {
      throw new FlowInputError(flowName, name, messages.missingFlowInput(flowName, name));
    }
  });
  return known.map((name) => inputs[name]);
}

/** The parameter each positional argument binds to (an object parameter spreads its keys). */
export function namedArguments(
  definition: TaskDefinition,
  args: readonly unknown[],
): [string, unknown][] {
  const parameters = definition.parameters;
  if (parameters.objectParameter) {
    const only = args[0];
    return typeof only === "object" && only !== null ? Object.entries(only) : [];
  }
  return args.map((arg, i) => [parameters.names[i] ?? `arg${i}`, arg]);
}
