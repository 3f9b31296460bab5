import { Socket } from "node:net";
import { afterAll, describe, expect, it } from "vitest";
import { z } from "zod";
import {
  FlowInputError,
  MemoryStore,
  TaskFailedError,
  TaskInputError,
  WorkGraphImperativeEngine,
  WorkgraphError,
  closeDefaultJobPool,
  run,
  task,
  waitFor,
} from "../../engine/index.js";

afterAll(() => closeDefaultJobPool());

const add = task(function add(x: number, y: number) {
  return x + y;
});
async function addFlow(x: number, y: number) {
  return { sum: add(x, y).result };
}
const quiet = { log: false, store: new MemoryStore() } as const;

describe("bad flow inputs", () => {
  it("an unknown input names the flow, the input and the parameters", () => {
    expect(() => run(addFlow, { x: 1, y: 2, z: 3 }, quiet)).toThrow(
      new FlowInputError(
        "addFlow",
        "z",
        'Flow addFlow has no parameter "z"; its parameters are: x, y',
      ),
    );
  });

  it("a missing input names it", () => {
    const error = (() => {
      try {
        run(addFlow, { x: 1 }, quiet);
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(FlowInputError);
    expect((error as FlowInputError).input).toBe("y");
    expect((error as Error).message).toBe('Flow addFlow needs the input "y", which was not given');
  });

  it("a malformed tutorial call says which part is wrong", () => {
    expect(() =>
      run(
        WorkGraphImperativeEngine,
        { inputs: { workgraph_data: { name: "x", flow: 42 } } } as never,
        quiet,
      ),
    ).toThrow(WorkgraphError);
    expect(() =>
      run(
        WorkGraphImperativeEngine,
        { inputs: { workgraph_data: { name: "x", flow: 42 } } } as never,
        quiet,
      ),
    ).toThrow(/inputs\.workgraph_data\.flow: must be a function/);
    expect(() => run(WorkGraphImperativeEngine, { inputs: {} } as never, quiet)).toThrow(
      /inputs\.workgraph_data/,
    );
  });

  it("defaults and destructured parameters bind by name", async () => {
    const withDefault = async (x: number, y = 10) => ({ sum: add(x, y).result });
    expect((await run(withDefault, { x: 1 }, quiet)).sum.value).toBe(11);
    const destructured = async ({ x, y }: { x: number; y: number }) => ({ sum: add(x, y).result });
    expect((await run(destructured, { x: 2, y: 3 }, quiet)).sum.value).toBe(5);
  });
});

describe("bad task inputs", () => {
  const checked = task(
    function checked(count: number, label: string) {
      return `${label}:${count}`;
    },
    { inputs: z.object({ count: z.number().int(), label: z.string() }) },
  );

  it("a schema violation on a plain value throws at the call, naming task and input", async () => {
    const r = run(
      async () => {
        checked(1.5, "a");
      },
      {},
      quiet,
    );
    const error = await r.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(TaskInputError);
    expect((error as TaskInputError).taskName).toBe("checked");
    expect((error as TaskInputError).input).toBe("count");
    expect((error as Error).message).toMatch(/^Task checked: input "count" is invalid: /);
  });

  it("a schema violation on a future's value fails the task, naming task and input", async () => {
    const text = task(function text() {
      return "not a number";
    });
    const r = run(
      async () => {
        const t = text();
        const c = checked(t.result as never, "a");
        await waitFor(c);
      },
      {},
      quiet,
    );
    const error = await r.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(TaskFailedError);
    const cause = (error as TaskFailedError).cause as TaskInputError;
    expect(cause).toBeInstanceOf(TaskInputError);
    expect(cause.taskName).toBe("checked");
    expect(cause.input).toBe("count");
  });

  it("a job input that cannot be serialised fails the task, naming task and input", async () => {
    const job = task.job(function echo(value: unknown, other: unknown) {
      return [value, other];
    });
    for (const [bad, what] of [
      [() => 1, "a function"],
      [new Socket(), "a Socket instance"],
    ] as const) {
      const r = run(
        async () => {
          await waitFor(job(1, { nested: [bad] }));
        },
        {},
        quiet,
      );
      const error = await r.then(
        () => undefined,
        (e: unknown) => e,
      );
      const cause = (error as TaskFailedError).cause as TaskInputError;
      expect(cause).toBeInstanceOf(TaskInputError);
      expect(cause.input).toBe("other");
      expect(cause.message).toContain(`other.nested[0] is ${what}`);
      if (bad instanceof Socket) bad.destroy();
    }
  });

  it("a task called outside a flow says where to call it", () => {
    expect(() => add(1, 2)).toThrow(/called outside a flow/);
  });

  it("reading a value too early says to await waitFor first", async () => {
    const slow = task(async function slow() {
      await new Promise((resolve) => setTimeout(resolve, 5));
      return 1;
    });
    const r = run(
      async () => {
        const s = slow();
        return { early: s.result.value };
      },
      {},
      quiet,
    );
    await expect(r).rejects.toThrow(
      "slow.result has no value yet (task slow is PLANNED): `await waitFor(slow)` before reading .value",
    );
  });
});
