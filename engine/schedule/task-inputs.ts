/**
 * Finds the futures among a task's arguments (also nested in arrays and plain objects), and
 * later replaces them by their values.
 */
import { DataNode, isPlainObject } from "../model/data-node.js";
import type { ParameterList } from "../author/function-params.js";
import { TaskHandle } from "../author/task-handle.js";
import { socketTarget, TaskSocket } from "../author/task-socket.js";

/** Something found among the arguments that is not a plain value. */
export type Found =
  | { readonly kind: "socket"; readonly socket: TaskSocket; readonly path: string }
  | { readonly kind: "data"; readonly node: DataNode; readonly path: string };

/** The name of the parameter at a position (rest parameters get an index). */
export function parameterName(parameters: ParameterList, index: number): string {
  const names = parameters.names;
  if (index < names.length - 1 || (index === names.length - 1 && !parameters.rest)) {
    return names[index] ?? `arg${index}`;
  }
  if (parameters.rest && names.length > 0) {
    return `${names[names.length - 1]}[${index - names.length + 1}]`;
  }
  return `arg${index}`;
}

/** The run's input node of an object its flow received, if it is one. */
export type InputObjects = (value: object) => DataNode | undefined;

/** How a run finds the input node a value its flow received stands for (`flow-values.ts`). */
export interface InputLookup {
  nodeOfObject(value: object): DataNode | undefined;
  nodeOfPrimitive(value: unknown): DataNode | undefined;
}

/**
 * Calls `visit` for every socket and data node in the arguments (an object the flow received
 * as an input counts as its node); returns whether any exist. A whole argument that is a
 * primitive one input holds is visited as that input's node too, but needs no resolving.
 */
export function scanArguments(
  args: readonly unknown[],
  parameters: ParameterList,
  visit: (found: Found) => void,
  inputs?: InputLookup,
): boolean {
  if (allPrimitive(args)) {
    if (inputs !== undefined) visitPrimitives(args, parameters, visit, inputs);
    return false;
  }
  const inputObjects: InputObjects = (value) => inputs?.nodeOfObject(value);
  let any = false;
  // Paths are joined into flat strings: `+` (or a template) makes a tree of string pieces,
  // ~109 B for `values[12345]` against 35 B flat, kept as long as the source that holds it (a
  // fan-in keeps one per input).
  const walk = (value: unknown, path: string, depth: number): void => {
    if (typeof value !== "object" || value === null) return;
    if (value instanceof TaskSocket) {
      any = true;
      visit({ kind: "socket", socket: socketTarget(value), path });
    } else if (value instanceof TaskHandle) {
      any = true;
      visit({ kind: "socket", socket: socketTarget(value.result), path });
    } else if (value instanceof DataNode) {
      any = true;
      visit({ kind: "data", node: value, path });
    } else if (depth < 64) {
      const input = inputObjects(value);
      if (input !== undefined) {
        any = true;
        visit({ kind: "data", node: input, path });
        return;
      }
      // a path is made only for a part that may hold a future: plain values have none
      if (Array.isArray(value)) {
        for (let i = 0; i < value.length; i++) {
          const part: unknown = value[i];
          if (typeof part === "object" && part !== null) {
            walk(part, [path, "[", i, "]"].join(""), depth + 1);
          }
        }
      } else if (isPlainObject(value)) {
        for (const key of Object.keys(value)) {
          const part = (value as Record<string, unknown>)[key];
          if (typeof part === "object" && part !== null) {
            walk(part, [path, ".", key].join(""), depth + 1);
          }
        }
      }
    }
  };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (typeof arg === "object" && arg !== null) walk(arg, parameterName(parameters, i), 0);
    else if (inputs !== undefined) visitPrimitives([arg], parameters, visit, inputs, i);
  }
  return any;
}

/** Whether every argument is a plain value that no input of the run holds: nothing to find. */
export function onlyPlainValues(args: readonly unknown[], inputs?: InputLookup): boolean {
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (typeof arg === "object" && arg !== null) return false;
    if (inputs !== undefined && inputs.nodeOfPrimitive(arg) !== undefined) return false;
  }
  return true;
}

function allPrimitive(args: readonly unknown[]): boolean {
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (typeof arg === "object" && arg !== null) return false;
  }
  return true;
}

function visitPrimitives(
  args: readonly unknown[],
  parameters: ParameterList,
  visit: (found: Found) => void,
  inputs: InputLookup,
  offset = 0,
): void {
  for (let i = 0; i < args.length; i++) {
    const node = inputs.nodeOfPrimitive(args[i]);
    if (node !== undefined)
      visit({ kind: "data", node, path: parameterName(parameters, i + offset) });
  }
}

/** A copy of the arguments with every socket and data node replaced by its value. */
export function resolveArguments(args: readonly unknown[]): unknown[] {
  return args.map((arg) => resolveValue(arg, 0));
}

/** A value with every socket and data node in it replaced by its value (copies containers). */
export function resolveValue(value: unknown, depth = 0): unknown {
  if (typeof value !== "object" || value === null) return value;
  if (value instanceof TaskSocket) return socketTarget(value).value;
  if (value instanceof TaskHandle) return socketTarget(value.result).value;
  if (value instanceof DataNode) return value.value;
  if (depth >= 64) return value;
  if (Array.isArray(value)) return value.map((v) => resolveValue(v, depth + 1));
  if (isPlainObject(value)) {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value)) {
      out[key] = resolveValue((value as Record<string, unknown>)[key], depth + 1);
    }
    return out;
  }
  return value;
}

/**
 * Calls `visit` for each plain value inside an argument that also holds futures (or input
 * objects, which are linked as their nodes), by path.
 */
export function literalParts(
  value: unknown,
  path: string,
  visit: (value: unknown, path: string) => void,
  inputObjects: InputObjects = () => undefined,
  depth = 0,
): void {
  if (value instanceof TaskSocket || value instanceof TaskHandle || value instanceof DataNode) {
    return;
  }
  if (depth < 64 && typeof value === "object" && value !== null) {
    if (inputObjects(value) !== undefined) return;
    if (Array.isArray(value)) {
      value.forEach((v, i) => literalParts(v, `${path}[${i}]`, visit, inputObjects, depth + 1));
      return;
    }
    if (isPlainObject(value)) {
      for (const [k, v] of Object.entries(value))
        literalParts(v, `${path}.${k}`, visit, inputObjects, depth + 1);
      return;
    }
  }
  visit(value, path);
}
