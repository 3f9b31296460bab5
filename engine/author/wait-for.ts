/**
 * `await waitFor(x)`: suspends the flow until tasks are done. Event-driven: it resolves on the
 * tasks' terminal state events, with no polling.
 */
import { WaitTimeoutError } from "../model/errors.js";
import { checkKnownKeys } from "../model/known-keys.js";
import { isTerminalTask } from "../model/states.js";
import type { TaskProgress } from "./flow-context.js";
import { TaskHandle } from "./task-handle.js";
import { TaskSocket } from "./task-socket.js";

/** What `waitFor` accepts: a handle, a socket, or (nested) arrays of them. */
export type Waitable = WaitableItem | readonly (WaitableItem | readonly WaitableItem[])[];

/** One handle or socket. */
export type WaitableItem = TaskHandle<unknown, Record<string, unknown>> | TaskSocket<unknown>;

/** What `waitFor` gives back: the value of each socket, the `result` of each handle. */
export type Waited<W> =
  W extends TaskHandle<infer R, infer _O>
    ? R
    : W extends TaskSocket<infer T>
      ? T
      : W extends readonly unknown[]
        ? { -readonly [I in keyof W]: Waited<W[I]> }
        : never;

/** Options of {@link waitFor}. */
export interface WaitOptions {
  /** Give up after this many milliseconds with a {@link WaitTimeoutError}. */
  readonly timeout?: number;
}

/**
 * Waits until every task behind the target is done, then gives their values. Throws a
 * `TaskFailedError` (task name, pk, cause) when one of them did not finish.
 *
 * @example
 * const a = add(x, y);
 * await waitFor(a);
 * if (a.result.value > 10) multiply(1, a.result);
 */
export async function waitFor<W extends Waitable>(
  target: W,
  options: WaitOptions = {},
): Promise<Waited<W>> {
  checkKnownKeys("waitFor()", options, ["timeout"]);
  const tasks = new Set<TaskProgress>();
  collect(target, tasks);
  const pending = [...tasks].filter((t) => !isTerminalTask(t.state));
  if (pending.length > 0) await settleAll(pending, options.timeout);
  for (const t of tasks) {
    if (t.state !== "FINISHED") throw t.failure();
  }
  return valueOf(target) as Waited<W>;
}

function collect(target: unknown, into: Set<TaskProgress>): void {
  if (target instanceof TaskHandle || target instanceof TaskSocket) {
    into.add(target.task);
  } else if (Array.isArray(target)) {
    for (const item of target) collect(item, into);
  } else {
    throw new TypeError(
      "waitFor() takes a task handle, a socket, or an array of them; got " + describe(target),
    );
  }
}

function valueOf(target: unknown): unknown {
  if (target instanceof TaskHandle) return target.result.value;
  if (target instanceof TaskSocket) return target.value;
  return (target as unknown[]).map(valueOf);
}

async function settleAll(
  tasks: readonly TaskProgress[],
  timeout: number | undefined,
): Promise<void> {
  const all = Promise.all(tasks.map((t) => t.settled()));
  if (timeout === undefined) {
    await all;
    return;
  }
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const names = tasks.filter((t) => !isTerminalTask(t.state)).map((t) => t.name);
      reject(new WaitTimeoutError(timeout, names));
    }, timeout);
  });
  try {
    await Promise.race([all, expired]);
  } finally {
    clearTimeout(timer);
  }
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (typeof value === "object") return value.constructor?.name ?? "an object";
  return typeof value;
}
