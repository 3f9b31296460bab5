/** What `task()` knows of a task: its function, how it runs, and its options. */
import type { z } from "zod";
import type { TaskKind } from "../model/events.js";
import type { ParameterList } from "./function-params.js";
import type { OutputLayout, OutputSpec } from "./output-layout.js";
import type { ShellSpec } from "./shell-task.js";
import type { TaskHandler } from "./task-handlers.js";

/** Options of `task()` and `task.job()`. */
export interface TaskOptions<O extends string = string> {
  /** The task's name; defaults to the function's name. */
  readonly name?: string;
  /**
   * Named outputs: the function returns an object with these keys, each a socket of its own.
   * Schemas validate them; a nested list or object is a namespace (`{ stats: ["mean", "sd"] }`
   * gives `outputs.stats.mean`); `"dynamic"` or a zod record makes every returned key an output.
   */
  readonly outputs?:
    readonly O[] | { readonly [K in O]: z.ZodType | OutputSpec } | "dynamic" | z.ZodRecord;
  /** A schema of the inputs: an object keyed by parameter name, or a tuple. */
  readonly inputs?: z.ZodType;
  /** Stop the task after this many milliseconds (FAILED with a timeout error). */
  readonly timeout?: number;
  /** Run the task again this many times when it fails. */
  readonly retries?: number;
  /** Handlers of failures: by exit code, they retry with changed inputs or give up. */
  readonly handlers?: readonly TaskHandler[];
}

/** Everything the scheduler needs to run calls of a task. */
export interface TaskDefinition {
  readonly name: string;
  readonly kind: TaskKind;
  readonly fn: (...args: never[]) => unknown;
  /** The source sent to worker processes (jobs only). */
  readonly source: string | undefined;
  readonly parameters: ParameterList;
  /** Declared output names (`stats.mean` inside a namespace); undefined when the whole return value is the `result`. */
  readonly outputs: readonly string[] | undefined;
  /** Declared sockets, namespaces and dynamic levels; undefined when `outputs` is all there is. */
  readonly outputLayout?: OutputLayout;
  /** The `outputs` option as given (sent with a flow's source to a daemon). */
  readonly outputSpec?: unknown;
  /** Whether every key of the returned object is an output too (flows, `outputs: "dynamic"`). */
  readonly dynamicOutputs?: boolean;
  readonly outputSchemas: Readonly<Record<string, z.ZodType>> | undefined;
  readonly inputSchema: z.ZodType | undefined;
  readonly timeoutMs: number | undefined;
  readonly retries: number;
  /** Handlers of failed attempts, tried before plain retries. */
  readonly handlers?: readonly TaskHandler[];
  /** The command a shell task runs. */
  readonly shell?: ShellSpec;
}
