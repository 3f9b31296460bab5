import { describe, expect, it } from "vitest";
import {
  MemoryStore,
  Run,
  UnknownOptionError,
  run,
  task,
  waitFor,
  type RunOptions,
} from "../../../engine/index.js";

const add = task(function add(x: number, y: number) {
  return x + y;
});
const options = (): RunOptions => ({ log: false, store: new MemoryStore() });

function thrown(f: () => unknown): UnknownOptionError {
  try {
    f();
  } catch (error) {
    expect(error).toBeInstanceOf(UnknownOptionError);
    return error as UnknownOptionError;
  }
  throw new Error("expected an UnknownOptionError");
}

describe("unknown option keys", () => {
  it("a task option that is misspelt is refused, suggesting the right key", () => {
    const retry = thrown(() => task((x: number) => x, { retry: 2 } as never));
    expect(retry.option).toBe("retry");
    expect(retry.suggestion).toBe("retries");
    expect(retry.message).toMatch(/unknown option "retry"; did you mean "retries"\?/);
    const timeOut = thrown(() => task.job(function f() {}, { timeOut: 5 } as never));
    expect(timeOut.suggestion).toBe("timeout");
    expect(timeOut.where).toBe("task f");
  });

  it("a run option that is misspelt is refused before anything is stored", () => {
    const store = new MemoryStore();
    const error = thrown(() =>
      run(async () => add(1, 2), {}, { store, log: false, maxConcurency: 2 } as never),
    );
    expect(error.suggestion).toBe("maxConcurrency");
    expect(error.where).toBe("run()");
    expect(store.nodes()).toHaveLength(0);
  });

  it("a key far from every option gets no suggestion", () => {
    const error = thrown(() => task((x: number) => x, { banana: true } as never));
    expect(error.suggestion).toBeUndefined();
    expect(error.message).toBe('Options of task task: unknown option "banana"');
  });

  it("waitFor refuses unknown options too", async () => {
    const r = run(
      async () => {
        const a = add(1, 2);
        await waitFor(a, { timeOut: 10 } as never);
      },
      {},
      options(),
    );
    const outcome = await r.done;
    expect(outcome.state).toBe("EXCEPTED");
    expect((outcome.error as UnknownOptionError).suggestion).toBe("timeout");
  });
});

describe("Run is a Promise", () => {
  it("implements then, catch and finally, and says it is a Run", async () => {
    const ok = run(async () => add(1, 2), {}, options());
    expect(ok).toBeInstanceOf(Run);
    expect(Object.prototype.toString.call(ok)).toBe("[object Run]");
    let finallyCalled = 0;
    const results = await ok.finally(() => finallyCalled++);
    expect(results.result.value).toBe(3);
    expect(finallyCalled).toBe(1);

    const failing = run(
      async () => {
        throw new Error("boom");
      },
      {},
      options(),
    );
    const caught = await failing.catch((error: unknown) => (error as Error).message);
    expect(caught).toBe("boom");
    await expect(failing.finally(() => finallyCalled++)).rejects.toThrow("boom");
    expect(finallyCalled).toBe(2);
    const viaPromise: Promise<unknown> = failing;
    await expect(Promise.resolve(viaPromise)).rejects.toThrow("boom");
  });
});
