/** What happens as a task starts: its inputs resolved, linked and checked, and it RUNNING. */
import type { TaskInputError } from "../model/errors.js";
import type { FlowInputValues } from "../author/flow-values.js";
import { checkInputs, checkSendable } from "./task-checks.js";
import { resolveArguments } from "./task-inputs.js";
import type { RunJournal } from "./run-journal.js";
import type { TaskRun } from "./task-run.js";

/** The task's resolved arguments, or why it fails before running (it is RUNNING either way). */
export type Started =
  | { readonly ok: true; readonly args: readonly unknown[] }
  | { readonly ok: false; readonly error: unknown };

/** Resolves, links and checks a task's inputs, and moves it to RUNNING. */
export function startTask(
  task: TaskRun,
  tasks: readonly TaskRun[],
  journal: RunJournal,
  inputs: FlowInputValues,
): Started {
  const definition = task.definition;
  let args: readonly unknown[];
  try {
    args = task.hasFutures ? resolveArguments(task.args) : task.args;
  } catch (error) {
    // a part of an input that its value does not have
    journal.moveTask(task, "RUNNING");
    return { ok: false, error };
  }
  task.resolvedArgs = args;
  journal.linkInputs(task, args, tasks, inputs);
  journal.moveTask(task, "RUNNING");
  const invalid: TaskInputError | undefined =
    (task.hasFutures ? checkInputs(definition, args) : undefined) ??
    (definition.kind === "job" ? checkSendable(definition, args) : undefined);
  return invalid === undefined ? { ok: true, args } : { ok: false, error: invalid };
}
