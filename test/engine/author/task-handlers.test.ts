import { describe, expect, it } from "vitest";
import {
  MemoryStore,
  TaskExitError,
  UnknownOptionError,
  run,
  task,
  waitFor,
  type RunOptions,
  type TaskFailure,
} from "../../../engine/index.js";

const options = (store = new MemoryStore()): RunOptions => ({ log: false, store });

/** Converges only with enough steps: exit code 3 otherwise. */
const relax = task(
  function relax(steps: number, tolerance: number) {
    if (steps < 40) throw new TaskExitError(3, `not converged after ${steps} steps`);
    return { steps, energy: -1 / steps, tolerance };
  },
  {
    outputs: ["steps", "energy"],
    handlers: [
      {
        name: "more steps",
        exitCodes: [3],
        handler: (failure: TaskFailure) => ({
          retry: { steps: (failure.inputs.steps as number) * 2 },
        }),
      },
    ],
  },
);

describe("task handlers", () => {
  it("see the failure and retry with changed inputs; each decision is a report line and is stored", async () => {
    const store = new MemoryStore();
    const seen: TaskFailure[] = [];
    const watched = task(
      (steps: number) => {
        if (steps < 40) throw new TaskExitError(3, `not converged after ${steps} steps`);
        return steps;
      },
      {
        name: "watched",
        handlers: [
          {
            exitCodes: [3],
            handler: (failure) => {
              seen.push(failure);
              return { retry: { steps: (failure.inputs.steps as number) * 2 } };
            },
          },
        ],
      },
    );
    const r = run(
      async () => {
        const a = relax(10, 0.1);
        const w = watched(15);
        return { steps: a.outputs.steps, energy: a.outputs.energy, w: w.result };
      },
      {},
      { ...options(store), maxConcurrency: 1 },
    );
    const results = await r;
    expect(results.steps.value).toBe(40);
    expect(results.w.value).toBe(60);
    expect(seen.map((f) => [f.attempt, f.exitCode, f.inputs, f.message])).toEqual([
      [1, 3, { steps: 15 }, "not converged after 15 steps"],
      [2, 3, { steps: 30 }, "not converged after 30 steps"],
    ]);
    const lines = r.reports.map((l) => l.message);
    expect(lines).toContain(
      "Task: relax failed (exit code 3, TaskExitError: not converged after 10 steps); more steps: retry with steps=20.",
    );
    expect(lines).toContain(
      "Task: relax failed (exit code 3, TaskExitError: not converged after 20 steps); more steps: retry with steps=40.",
    );
    // the task node keeps every decision; the retried attempts' inputs are linked beside the first
    const pk = r.graph().tasks[0]?.pk ?? -1;
    const node = store.node(pk);
    expect(node?.type === "task" ? node.attributes.handled : undefined).toEqual([
      {
        attempt: 1,
        exitCode: 3,
        error: "TaskExitError: not converged after 10 steps",
        handler: "more steps",
        decision: "retry",
        inputs: { steps: 20 },
      },
      {
        attempt: 2,
        exitCode: 3,
        error: "TaskExitError: not converged after 20 steps",
        handler: "more steps",
        decision: "retry",
        inputs: { steps: 40 },
      },
    ]);
    const inputs = store
      .links({ to: pk })
      .filter((l) => l.type === "INPUT")
      .map((l) => {
        const from = store.node(l.from);
        return [l.label, from?.type === "data" ? from.value : undefined];
      });
    expect(inputs).toEqual([
      ["steps", 10],
      ["tolerance", 0.1],
      ["attempt2.steps", 20],
      ["attempt3.steps", 40],
    ]);
    expect(node?.state).toBe("FINISHED");
  });

  it("give up: the task is FAILED with its exit code, the decision and the reason reported", async () => {
    const store = new MemoryStore();
    const stubborn = task(
      (x: number): number => {
        throw new TaskExitError(x, `exit ${x}`);
      },
      {
        name: "stubborn",
        handlers: [
          { name: "only 5", exitCodes: [5], handler: () => ({ giveUp: "5 cannot be fixed" }) },
          { name: "bounded", exitCodes: [6], handler: () => ({ retry: {} }), maxRetries: 2 },
        ],
      },
    );
    const r = run(
      async () => {
        const tasks = [stubborn(5), stubborn(6), stubborn(7)];
        await waitFor(tasks).catch(() => undefined);
        return { states: tasks.map((t) => t.state) };
      },
      {},
      { ...options(store), maxConcurrency: 1 },
    );
    expect((await r).states.value).toEqual(["FAILED", "FAILED", "FAILED"]);
    const lines = r.reports.map((l) => l.message);
    expect(lines).toContain(
      "Task: stubborn failed with exit code 5; only 5 gave up: 5 cannot be fixed.",
    );
    expect(lines.filter((l) => l.includes("bounded: retry"))).toHaveLength(2);
    expect(lines).toContain(
      "Task: stubborn1 failed with exit code 6; bounded gave up: bounded already retried 2 times (its maxRetries).",
    );
    // no handler for 7: an ordinary failure
    expect(lines.filter((l) => l.startsWith("Task: stubborn2 failed with"))).toEqual([]);
    const codes = r.graph().tasks.map((t) => {
      const node = store.node(t.pk);
      return node && "exitCode" in node ? node.exitCode : undefined;
    });
    expect(codes).toEqual([5, 6, 7]);
  });

  it("handle a shell command's exit code: retry with other arguments", async () => {
    const check = task.shell("sh", {
      name: "check",
      args: ["-c", 'test "$1" -ge 3 || exit 4; echo "$1"', "sh", "{n}"],
      handlers: [
        { exitCodes: [4], handler: (f) => ({ retry: { n: (f.inputs.n as number) + 1 } }) },
      ],
    });
    const r = run(async () => ({ out: check({ n: 1 }).outputs.stdout }), {}, options());
    expect((await r).out.value).toBe("3\n");
    expect(r.reports.filter((l) => l.step === "handle_failure").map((l) => l.message)).toEqual([
      "Task: check failed (exit code 4, TaskExitError: Task check: sh exited with code 4); handler 1: retry with n=2.",
      "Task: check failed (exit code 4, TaskExitError: Task check: sh exited with code 4); handler 1: retry with n=3.",
    ]);
  });

  it("handle a job's exit code: the code crosses the process boundary", async () => {
    const converge = task.job(
      function converge(steps: number) {
        if (steps < 8) throw Object.assign(new Error(`only ${steps} steps`), { exitCode: 3 });
        return steps;
      },
      {
        handlers: [
          {
            exitCodes: [3],
            handler: (f) => ({ retry: { steps: (f.inputs.steps as number) * 2 } }),
          },
        ],
      },
    );
    const store = new MemoryStore();
    const r = run(async () => ({ steps: converge(2).result }), {}, options(store));
    expect((await r).steps.value).toBe(8);
    expect(r.reports.filter((l) => l.step === "handle_failure").map((l) => l.message)).toEqual([
      "Task: converge failed (exit code 3, Error: only 2 steps); handler 1: retry with steps=4.",
      "Task: converge failed (exit code 3, Error: only 4 steps); handler 1: retry with steps=8.",
    ]);
  });

  it("a handler that throws, asks for an unknown input or is declared wrongly is named", async () => {
    const bad = (name: string, handler: (f: TaskFailure) => { retry: Record<string, unknown> }) =>
      task(
        (x: number): number => {
          throw new TaskExitError(1, `no ${x}`);
        },
        { name, handlers: [{ handler }] },
      );
    const throws = bad("throws", () => {
      throw new RangeError("oops");
    });
    const unknown = bad("unknown", () => ({ retry: { y: 1 } }));
    const r = run(
      async () => {
        const tasks = [throws(1), unknown(1)];
        await waitFor(tasks).catch(() => undefined);
        return { errors: tasks.map((t) => (t.task.error as Error).message) };
      },
      {},
      options(),
    );
    expect((await r).errors.value).toEqual([
      "Task throws: its handler 1 threw RangeError: oops",
      'Task unknown: a handler asked to retry with input "y", which the task does not have; its inputs are: x',
    ]);
    expect(() =>
      task((x: number) => x, { handlers: [{ exitCode: [1], handler: () => undefined }] as never }),
    ).toThrow('Unrecognized key: "exitCode"');
    expect(() => task((x: number) => x, { handler: [] } as never)).toThrow(UnknownOptionError);
  });
});
