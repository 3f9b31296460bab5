/**
 * Results that gather futures: a flow returning `{ all: [a.result, b.result] }` (or a list of
 * futures as its one result) gets that value from a `gather` task the run calls as the flow
 * returns. The task waits for the futures, and its output is the result node, so the store
 * says what created it: INPUT links from each future's output (by path, with the plain values
 * beside them), and a CREATE link to the gathered node.
 */
import { isPlainObject } from "../model/data-node.js";
import type { TaskDefinition } from "../author/task-definition.js";
import { task } from "../author/task.js";
import { TaskHandle } from "../author/task-handle.js";
import { TaskSocket } from "../author/task-socket.js";
import { scanArguments, type InputLookup } from "./task-inputs.js";

/** The built-in task whose call gathers one result. */
export const gatherDefinition: TaskDefinition = task(function gather(value: unknown) {
  return value;
}).definition;

const ONE = { names: ["value"], optional: [false], objectParameter: false, rest: false };

/** Whether a result is an array or object holding futures (a bare future needs no gathering). */
function gathers(value: unknown, inputs: InputLookup): boolean {
  if (value instanceof TaskSocket || value instanceof TaskHandle) return false;
  if (typeof value !== "object" || value === null) return false;
  let futures = false;
  scanArguments([value], ONE, (found) => (futures ||= found.kind === "socket"), inputs);
  return futures;
}

/**
 * The flow's return value with each result that gathers futures replaced by the `result` of a
 * gather task scheduled for it (`schedule` calls the task in the run).
 */
export function gatherResults(
  returned: unknown,
  inputs: InputLookup,
  schedule: (definition: TaskDefinition, args: readonly unknown[]) => TaskSocket,
): unknown {
  if (typeof returned === "object" && returned !== null && isPlainObject(returned)) {
    const entries = Object.entries(returned);
    if (!entries.some(([, v]) => gathers(v, inputs))) return returned;
    return Object.fromEntries(
      entries.map(([k, v]) => [k, gathers(v, inputs) ? schedule(gatherDefinition, [v]) : v]),
    );
  }
  return gathers(returned, inputs) ? schedule(gatherDefinition, [returned]) : returned;
}
