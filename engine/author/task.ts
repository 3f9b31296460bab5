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
import {
  shellDefinition,
  type ShellInputs,
  type ShellOptions,
  type ShellResult,
} from "./shell-task.js";
import { handlersSchema, type TaskHandler } from "./task-handlers.js";
import type { FlowOutputs, Resolved } from "./resolved.js";
import type { TaskSocket } from "./task-socket.js";
import {
  declaredSockets,
  hasDynamic,
  hasSchemas,
  parseOutputSpec,
  type OutputLayout,
  type OutputSpec,
} from "./output-layout.js";

export type { OutputSpec } from "./output-layout.js";

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

/** The declared outputs of a task returning R, by name, with their types (namespaces nest). */
export type OutputsOf<R, X> = X extends "dynamic"
  ? DynamicOutputs<R>
  : X extends z.ZodRecord<z.core.$ZodRecordKey, infer V>
    ? Record<string, z.infer<V>>
    : X extends readonly (infer K extends string)[]
      ? { [P in K]: R extends Record<P, infer V> ? V : unknown }
      : X extends z.ZodType
        ? never
        : X extends Readonly<Record<string, unknown>>
          ? {
              [P in keyof X & string]: X[P] extends z.ZodRecord
                ? OutputsOf<unknown, X[P]>
                : X[P] extends z.ZodType
                  ? z.infer<X[P]>
                  : OutputsOf<R extends Record<P, infer V> ? V : unknown, X[P]>;
            }
          : Record<never, never>;

/** Every key of R is an output: R's own keys when it has known ones, any string otherwise. */
type DynamicOutputs<R> =
  R extends Record<string, unknown>
    ? string extends keyof R
      ? Record<string, R[string]>
      : R
    : Record<string, unknown>;

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
  outputs: z.unknown().optional(),
  handlers: handlersSchema.optional(),
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
  const layout = outputs === undefined ? undefined : parseOutputSpec(name, outputs);
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
    outputs: layout === undefined ? undefined : declaredSockets(layout),
    ...(layout !== undefined ? { outputLayout: layout, outputSpec: outputs } : {}),
    ...(layout !== undefined && hasDynamic(layout) ? { dynamicOutputs: layout.dynamic } : {}),
    outputSchemas: layout === undefined ? undefined : schemasOf(layout),
    inputSchema: inputs,
    timeoutMs: parsed.data.timeout,
    retries: parsed.data.retries ?? 0,
    ...(parsed.data.handlers !== undefined
      ? { handlers: parsed.data.handlers as readonly TaskHandler[] }
      : {}),
  };
}

/** The declared schemas by dotted socket name; undefined when there are none. */
function schemasOf(layout: OutputLayout): Readonly<Record<string, z.ZodType>> | undefined {
  if (!hasSchemas(layout)) return undefined;
  const schemas: Record<string, z.ZodType> = {};
  const walk = (level: OutputLayout, prefix: string): void => {
    for (const [name, schema] of level.sockets)
      if (schema !== undefined) schemas[prefix + name] = schema;
    for (const [name, inner] of level.namespaces) walk(inner, `${prefix}${name}.`);
  };
  walk(layout, "");
  return schemas;
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
  return new TaskHandle<R, O>(context.scope.schedule(definition, args), definition.outputLayout);
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

/**
 * Wraps an executable as a task: its arguments are an argv array whose `{name}` placeholders
 * take the inputs of that name (never a shell string); its outputs are `stdout`, `stderr`,
 * `exitCode` and, with `outputFiles`, `files`. An exit code outside `okExitCodes` (default
 * `[0]`) fails it with a {@link TaskExitError}; a timeout kills its whole process group.
 *
 * @example
 * const count = task.shell("grep", { args: ["-c", "{pattern}", "data.txt"], okExitCodes: [0, 1] });
 * const h = count({ pattern: "x", files: { "data.txt": "x\ny\nx\n" } }); // in a flow
 * await h.outputs.stdout; // "2\n"
 */
function shell(
  command: string,
  options?: ShellOptions,
): TaskFunction<[inputs?: ShellInputs], ShellResult, ShellOutputs> {
  return callable(shellDefinition(command, options));
}

/** The outputs of a shell task. */
export interface ShellOutputs extends Record<string, unknown> {
  readonly stdout: string;
  readonly stderr: string;
  readonly exitCode: number;
  readonly files: Readonly<Record<string, string>>;
}

/**
 * Makes tasks: `task(fn)` runs in-process, `task.job(fn)` in a worker process, `task.flow(fn)`
 * as a child run, `task.shell(command)` as a command.
 */
export const task = Object.assign(inProcess, { job, flow, shell });
