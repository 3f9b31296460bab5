/**
 * What a run does with a failed attempt that a handler of its task handles: asks the handler,
 * and turns its answer into a retry with (possibly changed) arguments or a final failure.
 */
import { serialiseError } from "../model/error-serialisation.js";
import * as messages from "../model/messages.js";
import { WorkgraphError } from "../model/errors.js";
import { exitCodeOf, handlerFor, type TaskFailure } from "../author/task-handlers.js";
import { parameterName } from "./task-inputs.js";
import type { TaskRun } from "./task-run.js";

/** A handler's decision, made ready for the run: retry with these arguments, or fail with this error. */
export type Handled =
  | {
      readonly retry: true;
      /** The failure handled. */
      readonly error: unknown;
      readonly args: readonly unknown[];
      readonly changed: Readonly<Record<string, unknown>>;
      readonly record: HandlerRecord;
    }
  | { readonly retry: false; readonly error: unknown; readonly record: HandlerRecord };

/** One handler decision as the task node keeps it (attribute `handled`). */
export interface HandlerRecord {
  readonly attempt: number;
  readonly exitCode: number | null;
  readonly error: string;
  readonly handler: string;
  readonly decision: "retry" | "give up";
  /** The inputs changed for the next attempt. */
  readonly inputs?: Readonly<Record<string, unknown>>;
  readonly reason?: string;
}

/** The inputs of an attempt by name (an object parameter's keys). */
export function inputsByName(task: TaskRun, args: readonly unknown[]): Record<string, unknown> {
  const parameters = task.definition.parameters;
  if (parameters.objectParameter) {
    const only = args[0];
    return typeof only === "object" && only !== null ? { ...only } : {};
  }
  return Object.fromEntries(args.map((arg, i) => [parameterName(parameters, i), arg]));
}

/** Asks the handler for this failure, if the task has one; undefined when none handles it. */
export function handleFailure(task: TaskRun, error: unknown): Handled | undefined {
  const exitCode = exitCodeOf(error);
  const found = handlerFor(task.definition.handlers, exitCode);
  if (found === undefined) return undefined;
  const { handler, index } = found;
  const handlerName = handler.name ?? `handler ${index + 1}`;
  const args = task.resolvedArgs ?? [];
  const data = serialiseError(error);
  const base = {
    attempt: task.attempt,
    exitCode: exitCode ?? null,
    error: `${data.name}: ${data.message}`,
    handler: handlerName,
  };
  const giveUp = (reason: string, cause: unknown = error): Handled => ({
    retry: false,
    error: cause,
    record: { ...base, decision: "give up", reason },
  });
  const retries = task.handledBy.get(index) ?? 0;
  const limit = handler.maxRetries ?? 3;
  if (retries >= limit) return giveUp(messages.handlerExhausted(handlerName, limit));
  const failure: TaskFailure = {
    task: task.name,
    pk: task.pk,
    attempt: task.attempt,
    exitCode,
    message: data.message,
    error,
    inputs: inputsByName(task, args),
  };
  let decision: ReturnType<typeof handler.handler>;
  try {
    decision = handler.handler(failure);
  } catch (thrown) {
    const text = serialiseError(thrown);
    const wrapped = new WorkgraphError(
      messages.handlerThrew(task.name, handlerName, `${text.name}: ${text.message}`),
      { cause: thrown },
    );
    return giveUp(wrapped.message, wrapped);
  }
  if (decision === undefined || decision === null || !("retry" in decision)) {
    const reason =
      decision !== undefined && decision !== null && "giveUp" in decision
        ? String(decision.giveUp)
        : "no retry asked";
    return giveUp(reason);
  }
  const changed = decision.retry;
  if (typeof changed !== "object" || changed === null || Array.isArray(changed)) {
    const wrapped = new WorkgraphError(messages.handlerBadRetry(task.name, handlerName));
    return giveUp(wrapped.message, wrapped);
  }
  const next = retryArguments(task, args, changed);
  if (typeof next === "string") {
    const wrapped = new WorkgraphError(next);
    return giveUp(wrapped.message, wrapped);
  }
  task.handledBy.set(index, retries + 1);
  return {
    retry: true,
    error,
    args: next,
    changed,
    record: { ...base, decision: "retry", inputs: changed },
  };
}

/** The arguments with the changed inputs put in; a message naming an input the task does not have. */
function retryArguments(
  task: TaskRun,
  args: readonly unknown[],
  changed: Readonly<Record<string, unknown>>,
): unknown[] | string {
  const parameters = task.definition.parameters;
  if (parameters.objectParameter) {
    const only = args[0];
    return [{ ...(typeof only === "object" && only !== null ? only : {}), ...changed }];
  }
  const next = [...args];
  const names = parameters.names.map((_, i) => parameterName(parameters, i));
  for (const [name, value] of Object.entries(changed)) {
    const at = names.indexOf(name);
    if (at < 0) return messages.handlerUnknownInput(task.name, name, names);
    next[at] = value;
  }
  return next;
}
