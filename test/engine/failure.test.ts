import { describe, expect, it } from "vitest";
import {
  MemoryStore,
  TaskFailedError,
  rootCause,
  run,
  task,
  waitFor,
  type RunOptions,
} from "../../engine/index.js";

const quiet = (): RunOptions => ({ log: false, store: new MemoryStore() });

const add = task(function add(x: number, y: number) {
  return x + y;
});
const explode = task(function explode(x: number): number {
  throw new RangeError(`no good: ${x}`);
});

describe("a task that throws", () => {
  it("is FAILED with its message and stack, and its dependents are SKIPPED", async () => {
    const store = new MemoryStore();
    const r = run(
      async function flow() {
        const bad = explode(1);
        const after = add(bad.result, 1);
        const further = add(after.result, 1);
        const fine = add(2, 3);
        await waitFor(fine);
        return { fine: fine.result, further: further.result };
      },
      {},
      { log: false, store },
    );
    await expect(r).rejects.toBeInstanceOf(TaskFailedError);
    const tasks = r.graph().tasks;
    expect(tasks.map((t) => [t.name, t.state])).toEqual([
      ["explode", "FAILED"],
      ["add", "SKIPPED"],
      ["add1", "SKIPPED"],
      ["add2", "FINISHED"],
    ]);
    const failed = tasks[0];
    expect(failed?.error?.name).toBe("RangeError");
    expect(failed?.error?.message).toBe("no good: 1");
    expect(failed?.error?.stack).toContain("explode");
    expect(store.node(failed?.pk ?? 0)?.error?.message).toBe("no good: 1");
    expect(r.state).toBe("EXCEPTED");
    expect(r.exitCode).toBe(2);
  });

  it("can be caught in the flow through waitFor, and the flow goes on", async () => {
    const r = run(
      async function flow() {
        const bad = explode(7);
        try {
          await waitFor(bad);
          return { outcome: "unreachable" };
        } catch (error) {
          if (!(error instanceof TaskFailedError)) throw error;
          const recovered = add(error.taskName.length, 1);
          return { outcome: recovered.result, cause: (rootCause(error) as Error).message };
        }
      },
      {},
      quiet(),
    );
    const results = await r;
    expect(results.outcome.value).toBe(8);
    expect(results.cause?.value).toBe("no good: 7");
    expect(r.state).toBe("FINISHED");
    expect(r.exitCode).toBe(2);
  });

  it("a TaskFailedError names the task, its pk and the cause", async () => {
    const r = run(
      async () => {
        const bad = explode(2);
        await waitFor(bad);
      },
      {},
      quiet(),
    );
    const error = await r.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(TaskFailedError);
    const failure = error as TaskFailedError;
    expect(failure.taskName).toBe("explode");
    expect(failure.pk).toBe(r.graph().tasks[0]?.pk);
    expect(failure.message).toContain("RangeError: no good: 2");
    expect(failure.cause).toBeInstanceOf(RangeError);
  });
});

describe("a task that throws something other than an Error", () => {
  const throwing = (value: unknown) =>
    task(function odd(): number {
      throw value;
    });

  it.each([
    [undefined, "threw undefined"],
    [null, "threw null"],
    [42, "threw 42"],
    ["plain text", "plain text"],
  ])("stores %s as the error %s", async (value, message) => {
    const store = new MemoryStore();
    const odd = throwing(value);
    const r = run(
      async function flow() {
        const bad = odd();
        try {
          await waitFor(bad);
        } catch {
          // the task's error is what this test reads, from the store
        }
        return {};
      },
      {},
      { log: false, store },
    );
    await r;
    const failed = r.graph().tasks[0];
    expect(failed?.state).toBe("FAILED");
    expect(failed?.error?.message).toBe(message);
    expect(store.node(failed?.pk ?? 0)?.error?.message).toBe(message);
    expect(r.reports.map((l) => l.message)).toContain(
      `Task: odd, type: in-process, failed: Error: ${message}`,
    );
  });

  it("ends the run EXCEPTED with the error stored when the flow throws undefined", async () => {
    const store = new MemoryStore();
    const r = run(
      async function flow(): Promise<Record<string, never>> {
        await Promise.resolve();
        // eslint-disable-next-line @typescript-eslint/only-throw-error
        throw undefined;
      },
      {},
      { log: false, store },
    );
    await r.done;
    expect(r.state).toBe("EXCEPTED");
    expect(store.node(r.pk)?.error?.message).toBe("threw undefined");
  });
});

describe("an error the flow does not catch", () => {
  it("ends the run EXCEPTED, kills what still runs, and reports why", async () => {
    const slow = task(async function slow(signalled: (aborted: boolean) => void) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      signalled(false);
    });
    const r = run(
      async () => {
        slow(() => undefined);
        await Promise.resolve();
        throw new Error("flow gave up");
      },
      {},
      quiet(),
    );
    await expect(r).rejects.toThrow("flow gave up");
    expect(r.state).toBe("EXCEPTED");
    expect(r.exitCode).toBe(1);
    expect(r.graph().tasks.map((t) => t.state)).toEqual(["KILLED"]);
    expect(r.reports.some((l) => l.level === "ERROR" && l.message.includes("flow gave up"))).toBe(
      true,
    );
  });
});
