/**
 * What a flow returned, as the run's results: each entry a data node, plus the "graph results"
 * mapping that says which task socket each came from.
 */
import { DataNode, isPlainObject, toDataNode } from "../model/data-node.js";
import { TaskHandle } from "../author/task-handle.js";
import { TaskSocket } from "../author/task-socket.js";
import { resolveValue, scanArguments } from "./task-inputs.js";
import type { TaskProgress } from "../author/flow-context.js";
import { gatherDefinition } from "./gather-results.js";
import { TaskRun } from "./task-run.js";

/** The results of a finished flow, or the task that keeps them from being had. */
export interface ResultsOutcome {
  readonly nodes: Readonly<Record<string, DataNode>>;
  readonly graphResults: Readonly<Record<string, { task: string; socket: string }>>;
  readonly failed: TaskProgress | undefined;
  /** How the flow returned: an object of results, a single `result`, or nothing. */
  readonly shape: "object" | "single" | "none";
}

const NO_PARAMETERS = { names: [], optional: [], objectParameter: false, rest: false };

/** Turns a flow's return value into result nodes; a plain object maps names to results. */
export function collectResults(returned: unknown): ResultsOutcome {
  const shape =
    returned === undefined
      ? "none"
      : typeof returned === "object" && returned !== null && isPlainObject(returned)
        ? "object"
        : "single";
  const entries: [string, unknown][] =
    shape === "none"
      ? []
      : shape === "object"
        ? Object.entries(returned as object)
        : [["result", returned]];
  const nodes: Record<string, DataNode> = {};
  const graphResults: Record<string, { task: string; socket: string }> = {};
  for (const [label, raw] of entries) {
    const value = raw instanceof TaskHandle ? raw.result : raw;
    let failed: TaskProgress | undefined;
    scanArguments([value], NO_PARAMETERS, (found) => {
      if (found.kind === "socket" && found.socket.task.state !== "FINISHED") {
        failed ??= found.socket.task;
      }
    });
    if (failed !== undefined) return { nodes, graphResults, failed, shape };
    if (value instanceof TaskSocket) {
      nodes[label] = value.node;
      graphResults[label] = { task: value.task.name, socket: value.label };
    } else {
      nodes[label] = value instanceof DataNode ? value : toDataNode(resolveValue(value));
    }
  }
  return { nodes, graphResults, failed: undefined, shape };
}

/** The results a run ends FINISHED with, or the error it ends EXCEPTED with instead. */
export type FinalResults =
  | { readonly ok: true; readonly outcome: ResultsOutcome }
  | { readonly ok: false; readonly error: unknown };

/**
 * The results of a run whose flow returned (`returned`, its gathered value) and whose tasks
 * have all ended: the error when one of them failed to make a result, or the value was none.
 */
export function finalResults(returned: unknown): FinalResults {
  let outcome: ResultsOutcome;
  try {
    outcome = collectResults(returned);
  } catch (error) {
    return { ok: false, error };
  }
  const missing = outcome.failed;
  if (missing === undefined) return { ok: true, outcome };
  // a gathered result names the task whose failure kept it from being gathered
  const gathered = missing instanceof TaskRun && missing.definition === gatherDefinition;
  return { ok: false, error: gathered ? missing.error : missing.failure() };
}
