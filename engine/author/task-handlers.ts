/**
 * Error handlers of a task, in the spirit of AiiDA's process handlers: when an attempt fails,
 * the first handler whose exit codes match sees the failure and decides: retry (with changed
 * inputs) or give up. Each decision is a report line and is kept on the task node.
 */
import { z } from "zod";

/** What a handler sees of a failed attempt. */
export interface TaskFailure {
  /** The task's name in its run. */
  readonly task: string;
  readonly pk: number;
  /** The attempt that failed: 1 for the first. */
  readonly attempt: number;
  /** The exit code, when the failure had one (a shell command's exit, a thrown TaskExitError). */
  readonly exitCode: number | undefined;
  readonly message: string;
  readonly error: unknown;
  /** The inputs of the attempt by name (a shell task's: its named inputs). */
  readonly inputs: Readonly<Record<string, unknown>>;
}

/** A handler's decision: retry with inputs changed (by name; `{}` for the same), or give up. */
export type HandlerDecision =
  | { readonly retry: Readonly<Record<string, unknown>> }
  | { readonly giveUp: string }
  | undefined
  | void;

/** One handler of a task's failures. */
export interface TaskHandler {
  /** Shown in report lines; defaults to `handler <n>`. */
  readonly name?: string;
  /** The exit codes it handles; omitted: every failure, with or without a code. */
  readonly exitCodes?: readonly number[];
  /** Decides what to do; returning nothing gives up. */
  readonly handler: (failure: TaskFailure) => HandlerDecision;
  /** How many retries it may ask for in one task call before the task gives up (default 3). */
  readonly maxRetries?: number;
}

/** The `handlers` option, checked when the task is defined. */
export const handlersSchema = z.array(
  z
    .object({
      name: z.string().min(1).optional(),
      exitCodes: z.array(z.number().int()).min(1).optional(),
      handler: z.custom<TaskHandler["handler"]>((v) => typeof v === "function", "a function"),
      maxRetries: z.number().int().nonnegative().optional(),
    })
    .strict(),
);

/** The exit code an error carries (`exitCode`, an integer), if any. */
export function exitCodeOf(error: unknown): number | undefined {
  const code = (error as { exitCode?: unknown } | null)?.exitCode;
  return typeof code === "number" && Number.isInteger(code) ? code : undefined;
}

/** The first handler for a failure with this exit code, and its index. */
export function handlerFor(
  handlers: readonly TaskHandler[] | undefined,
  exitCode: number | undefined,
): { readonly handler: TaskHandler; readonly index: number } | undefined {
  if (handlers === undefined) return undefined;
  const index = handlers.findIndex(
    (h) => h.exitCodes === undefined || (exitCode !== undefined && h.exitCodes.includes(exitCode)),
  );
  return index < 0 ? undefined : { handler: handlers[index] as TaskHandler, index };
}
