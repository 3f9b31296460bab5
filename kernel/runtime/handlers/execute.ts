/**
 * execute_request: `execute_input`, the cell's output while it runs, then `execute_result` or
 * `error`, then the reply. `silent` sends nothing on iopub and does not count; `store_history`
 * decides whether the execution count moves.
 */
import type { ExecutionOutcome } from "../../execution/code-execution.js";
import * as messages from "../../messages.js";
import { runInCell } from "../cell-storage.js";
import {
  diagnosticsError,
  interruptedError,
  thrownError,
  type ErrorContent,
} from "../error-content.js";
import { reply, type Handler } from "../kernel-context.js";
import type { DisplayContent } from "../cell-scope.js";
import { drawnResultContent } from "../mime.js";

/** Handles execute_request. */
export const execute: Handler<"execute_request"> = async (request, kernel) => {
  const { code, silent, store_history, stop_on_error } = request.content;
  const parent = request.message.header;
  const stored = !silent && store_history;
  if (stored) kernel.executionCount++;
  const count = kernel.executionCount;
  if (stored) kernel.history.add(count, code);
  const execution = await kernel.execution.get();
  const cell = kernel.newCell(parent, silent);
  if (!silent) kernel.outbox.publish(parent, "execute_input", { code, execution_count: count });
  kernel.running = cell;
  let result: DisplayContent | undefined;
  let error: ErrorContent | undefined;
  try {
    const outcome: ExecutionOutcome = await runInCell(cell, () =>
      execution.execute(code, silent ? undefined : `In[${count}]`),
    );
    switch (outcome.status) {
      case "ok":
        if (outcome.result !== undefined && !silent) {
          const { value } = outcome.result;
          // A display method is the user's code: it runs, and prints, as part of the cell.
          try {
            result = await runInCell(cell, () => drawnResultContent(value));
          } catch (thrown) {
            error = thrownError(thrown);
          }
        }
        break;
      case "diagnostics":
        error = diagnosticsError(code, outcome.diagnostics);
        break;
      case "thrown":
        error = thrownError(outcome.error, (stack) => execution.mapStack(stack));
        break;
      case "interrupted":
        cell.cancelRuns(messages.interruptReason);
        error = interruptedError();
        break;
    }
    // The reply waits for the final display of the cell's finished runs, however long the
    // views take to load; an interrupt stops the wait.
    await cell.settle();
  } finally {
    kernel.running = undefined;
  }
  if (result !== undefined) {
    cell.output.result(count, result);
    if (stored) kernel.history.setOutput(count, String(result.data["text/plain"]));
  }
  if (error !== undefined) cell.output.error(error);
  cell.output.flush();
  reply(kernel, request, {
    status: error === undefined ? "ok" : "error",
    execution_count: count,
    ...(error ?? {}),
    user_expressions: {},
    payload: [],
  });
  return error !== undefined && stop_on_error ? "stop" : undefined;
};
