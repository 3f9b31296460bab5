/**
 * The tutorial's own call shape:
 * `run(WorkGraphImperativeEngine, { inputs: { workgraph_data: { name, flow, function_inputs } } })`,
 * validated with zod so a malformed call says exactly what is wrong.
 */
import { z } from "zod";
import { WorkgraphError } from "../model/errors.js";
import * as messages from "../model/messages.js";

/** The engine of the tutorial's call shape: pass it as the first argument of `run()`. */
export class WorkGraphImperativeEngine {
  private constructor() {}
  static readonly label = "WorkGraphImperativeEngine";
}

/** The `workgraph_data` of the tutorial's call shape. */
export interface WorkGraphData<F> {
  readonly name?: string;
  readonly flow: F;
  readonly function_inputs?: Readonly<Record<string, unknown>>;
}

const schema = z.object({
  inputs: z.object({
    workgraph_data: z.object({
      name: z.string().min(1).optional(),
      flow: z.custom<(...args: never[]) => unknown>(
        (v) => typeof v === "function",
        "must be a function",
      ),
      function_inputs: z.record(z.string(), z.unknown()).optional(),
    }),
  }),
});

/** Reads the tutorial's call shape, or throws an error that names the wrong part. */
export function parseEngineCall(spec: unknown): WorkGraphData<(...args: never[]) => unknown> {
  const parsed = schema.safeParse(spec);
  if (!parsed.success) {
    const details = parsed.error.issues
      .map((issue) => `${issue.path.join(".") || "(root)"}: ${issue.message}`)
      .join("; ");
    throw new WorkgraphError(messages.badEngineInputs(details));
  }
  const data = parsed.data.inputs.workgraph_data;
  return {
    flow: data.flow,
    ...(data.name !== undefined ? { name: data.name } : {}),
    ...(data.function_inputs !== undefined ? { function_inputs: data.function_inputs } : {}),
  };
}

/** A flow and its inputs, from either call shape of `run()` and `submit()`. */
export interface FlowCall {
  readonly flow: (...args: never[]) => unknown;
  readonly inputs: Readonly<Record<string, unknown>>;
  /** The name the tutorial's shape gives the run, if any. */
  readonly name: string | undefined;
}

/**
 * Reads `(flow, inputs?)` or `(WorkGraphImperativeEngine, { inputs: { workgraph_data } })`;
 * `caller` (`run`, `submit`) names the function in errors.
 */
export function parseFlowCall(caller: string, first: unknown, second: unknown): FlowCall {
  if (first === WorkGraphImperativeEngine) {
    const data = parseEngineCall(second);
    return { flow: data.flow, inputs: data.function_inputs ?? {}, name: data.name };
  }
  if (typeof first !== "function") {
    throw new TypeError(
      `${caller}() needs a flow function (or WorkGraphImperativeEngine) as its first argument`,
    );
  }
  if (
    second !== undefined &&
    (typeof second !== "object" || second === null || Array.isArray(second))
  ) {
    throw new TypeError(
      `${caller}(flow, inputs): inputs must be an object mapping parameter names to values`,
    );
  }
  return {
    flow: first as (...args: never[]) => unknown,
    inputs: (second ?? {}) as Readonly<Record<string, unknown>>,
    name: undefined,
  };
}
