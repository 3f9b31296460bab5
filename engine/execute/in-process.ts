/** Runs an in-process task's function on the event loop, inside its task context. */
import type { FlowScope, RunningTask } from "../author/flow-context.js";
import { flowStorage } from "../author/flow-storage.js";
import { TaskTimeoutError } from "../model/errors.js";

/** How an in-process call ended, or the promise of it; `sync` results skip a microtask. */
export type InProcessOutcome =
  | { readonly sync: true; readonly ok: boolean; readonly value: unknown }
  | { readonly sync: false; readonly promise: Promise<unknown> };

/**
 * Calls the function with the task's context (so `currentTask()` works inside it and tasks
 * called from it are refused). A timeout rejects and aborts the signal; the function's own
 * work can only stop if it listens to that signal.
 */
export function callInProcess(
  fn: (...args: never[]) => unknown,
  args: readonly unknown[],
  scope: FlowScope,
  task: RunningTask & { stop(reason: Error): void },
  timeoutMs: number | undefined,
): InProcessOutcome {
  let value: unknown;
  try {
    value = flowStorage.run({ scope, task }, fn, ...(args as never[]));
  } catch (error) {
    return { sync: true, ok: false, value: error };
  }
  if (!isThenable(value)) return { sync: true, ok: true, value };
  const promise = Promise.resolve(value);
  if (timeoutMs === undefined) return { sync: false, promise };
  return {
    sync: false,
    promise: new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        const error = new TaskTimeoutError(task.name, timeoutMs);
        task.stop(error);
        reject(error);
      }, timeoutMs);
      promise.then(
        (v) => {
          clearTimeout(timer);
          resolve(v);
        },
        (e: unknown) => {
          clearTimeout(timer);
          reject(e instanceof Error ? e : new Error(String(e)));
        },
      );
    }),
  };
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    (typeof value === "object" || typeof value === "function") &&
    value !== null &&
    typeof (value as { then?: unknown }).then === "function"
  );
}
