/**
 * `task(fn)` and `task.job(fn)`: wrap a function so that calling it inside a flow schedules it
 * and returns a handle whose sockets are futures.
 */
import { z } from "zod";
import { FlowContextError, TaskInputError } from "../model/errors.js";
import * as messages from "../model/messages.js";
import type { DataNode } from "../model/data-node.js";
import type { TaskKind } from "../model/events.js";
import { checkKnownKeys } from "../model/known-keys.js";
import { checkJobSource } from "./job-source.js";
import { flowStorage } from "./flow-storage.js";
import { parameterList } from "./function-params.js";
import type { TaskDefinition, TaskOptions } from "./task-definition.js";
import { TaskHandle } from "./task-handle.js";
import { flowDefinition, type FlowTaskOptions } from "./flow-task.js";
import type { FlowOutputs, Resolved } from "./resolved.js";
import type { TaskSocket } from "./task-socket.js";

/** A value, or a future of it (a socket or a data node), also nested in arrays and objects. */
export type Input<T> =
  | T
  | TaskSocket<T>
  | DataNode<T>
  | (T extends readonly (infer E)[]
      ? readonly Input<E>[]
      : T extends Record<string, unknown>
        ? { [K in keyof T]: Input<T[K]> }
        : never);

/** How outputs are declared: names, or schemas by name. */
export type OutputSpec = readonly string[] | { readonly [name: string]: z.ZodType };

/** The declared outputs of a task returning R, by name, with their types. */
export type OutputsOf<R, X> = X extends readonly (infer K extends string)[]
  ? { [P in K]: R extends Record<P, infer V> ? V : unknown }
  : X extends { readonly [name: string]: z.ZodType }
    ? { [P in keyof X]: z.infer<X[P]> }
    : Record<never, never>;

/** A task: call it inside a flow to schedule it. */
export interface TaskFunction<
  A extends unknown[],
  R,
  O extends Record<string, unknown> = Record<never, never>,
> {
  (...args: { [I in keyof A]: Input<A[I]> }): TaskHandle<R, O>;
  /** What the scheduler knows of this task. */
  readonly definition: TaskDefinition;
}

const optionsSchema = z.object({
  name: z.string().min(1).optional(),
  timeout: z.number().positive().optional(),
  retries: z.number().int().nonnegative().optional(),
  inputs: z.custom<z.ZodType>((v) => v instanceof z.ZodType, "a zod schema").optional(),
  outputs: z
    .union([
      z.array(z.string().min(1)),
      z.record(
        z.string(),
        z.custom<z.ZodType>((v) => v instanceof z.ZodType, "a zod schema"),
      ),
    ])
    .optional(),
});

function define(kind: TaskKind, fn: unknown, options: TaskOptions | undefined): TaskDefinition {
  if (typeof fn !== "function") throw new TypeError(messages.notAFunction(typeof fn));
  const f = fn as (...args: never[]) => unknown;
  const name = (options?.name ?? f.name) || "task";
  checkKnownKeys(`task ${name}`, options, Object.keys(optionsSchema.shape));
  const parsed = optionsSchema.safeParse(options ?? {});
  if (!parsed.success) {
    throw new TypeError(`Options of task ${name}: ${z.prettifyError(parsed.error)}`);
  }
  const parameters = parameterList(f);
  const { inputs, outputs } = parsed.data;
  if (inputs instanceof z.ZodObject) {
    for (const key of Object.keys(inputs.shape)) {
      if (!parameters.names.includes(key)) {
        throw new TaskInputError(
          name,
          key,
          messages.unknownInputSchemaKey(name, key, parameters.names),
        );
      }
    }
  }
  return {
    name,
    kind,
    fn: f,
    source: kind === "job" ? checkJobSource(f, name) : undefined,
    parameters,
    outputs:
      outputs === undefined ? undefined : Array.isArray(outputs) ? outputs : Object.keys(outputs),
    outputSchemas: outputs === undefined || Array.isArray(outputs) ? undefined : outputs,
    inputSchema: inputs,
    timeoutMs: parsed.data.timeout,
    retries: parsed.data.retries ?? 0,
  };
}

/** Schedules a call of a task in the running flow; refused outside a flow or inside a task. */
export function callTask<R, O extends Record<string, unknown>>(
  definition: TaskDefinition,
  args: readonly unknown[],
): TaskHandle<R, O> {
  const context = flowStorage.getStore();
  if (context === undefined) {
    throw new FlowContextError(definition.name, messages.calledOutsideFlow(definition.name));
  }
  if (context.task !== undefined) {
    throw new FlowContextError(
      definition.name,
      messages.calledInsideTask(definition.name, context.task.name),
    );
  }
  return new TaskHandle<R, O>(
    context.scope.schedule(definition, args),
    definition.outputs,
    definition.dynamicOutputs === true,
  );
}

function callable<A extends unknown[], R, O extends Record<string, unknown>>(
  definition: TaskDefinition,
): TaskFunction<A, R, O> {
  const call = (...args: unknown[]): TaskHandle<R, O> => callTask<R, O>(definition, args);
  Object.defineProperty(call, "name", { value: definition.name });
  return Object.assign(call, { definition });
}

type Options<X> = Omit<TaskOptions, "outputs"> & { readonly outputs?: X };

/**
 * Wraps a function as an in-process task: it runs on the event loop when its inputs are ready.
 *
 * @example
 * const double = task(async (x: number) => 2 * x);
 */
function inProcess<A extends unknown[], R, const X extends OutputSpec | undefined = undefined>(
  fn: (...args: A) => R,
  options?: Options<X>,
): TaskFunction<A, Awaited<R>, OutputsOf<Awaited<R>, X>> {
  return callable(define("in-process", fn, options as TaskOptions | undefined));
}

/**
 * Wraps a self-contained function as a job: it runs in a warm worker process, receiving its
 * source and serialised inputs. It must not use variables from outside itself.
 *
 * @example
 * const add = task.job(function add(x: number, y: number) { return x + y; });
 */
function job<A extends unknown[], R, const X extends OutputSpec | undefined = undefined>(
  fn: (...args: A) => R,
  options?: Options<X>,
): TaskFunction<A, Awaited<R>, OutputsOf<Awaited<R>, X>> {
  return callable(define("job", fn, options as TaskOptions | undefined));
}

/**
 * Wraps a flow as a task: each call runs the flow as a child run, called by the parent's task
 * node; the child's results are the task's outputs (`h.outputs.sum`), `h.result` all of them.
 *
 * @example
 * const inner = task.flow(addThenBranch);
 * const h = inner(a.result, 4); // in a flow: a child run
 */
function flow<A extends unknown[], R>(
  fn: (...args: A) => R,
  options?: FlowTaskOptions,
): TaskFunction<A, Resolved<Awaited<R>>, FlowOutputs<Awaited<R>>> {
  return callable(flowDefinition(fn, options));
}

/** Makes tasks: `task(fn)` runs in-process, `task.job(fn)` in a worker process, `task.flow(fn)` as a child run. */
export const task = Object.assign(inProcess, { job, flow });
