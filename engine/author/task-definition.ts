/** What `task()` knows of a task: its function, how it runs, and its options. */
import type { z } from "zod";
import type { TaskKind } from "../model/events.js";
import type { ParameterList } from "./function-params.js";

/** Options of `task()` and `task.job()`. */
export interface TaskOptions<O extends string = string> {
  /** The task's name; defaults to the function's name. */
  readonly name?: string;
  /** Named outputs: the function returns an object with these keys. Schemas validate them. */
  readonly outputs?: readonly O[] | { readonly [K in O]: z.ZodType };
  /** A schema of the inputs: an object keyed by parameter name, or a tuple. */
  readonly inputs?: z.ZodType;
  /** Stop the task after this many milliseconds (FAILED with a timeout error). */
  readonly timeout?: number;
  /** Run the task again this many times when it fails. */
  readonly retries?: number;
}

/** Everything the scheduler needs to run calls of a task. */
export interface TaskDefinition {
  readonly name: string;
  readonly kind: TaskKind;
  readonly fn: (...args: never[]) => unknown;
  /** The source sent to worker processes (jobs only). */
  readonly source: string | undefined;
  readonly parameters: ParameterList;
  /** Declared output names; undefined when the whole return value is the `result`. */
  readonly outputs: readonly string[] | undefined;
  /** Whether every key of the returned object is an output too (flows, `outputs: "dynamic"`). */
  readonly dynamicOutputs?: boolean;
  readonly outputSchemas: Readonly<Record<string, z.ZodType>> | undefined;
  readonly inputSchema: z.ZodType | undefined;
  readonly timeoutMs: number | undefined;
  readonly retries: number;
}
