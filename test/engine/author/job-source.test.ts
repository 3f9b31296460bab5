import { runInThisContext } from "node:vm";
import { describe, expect, it } from "vitest";
import { checkJobSource } from "../../../engine/author/job-source.js";
import { JobSourceError } from "../../../engine/model/errors.js";

/** Compiles a checked source the way a worker does, to show that it still works. */
function revive(source: string): (...args: unknown[]) => unknown {
  return runInThisContext(`(${source}\n)`) as (...args: unknown[]) => unknown;
}

function sourceError(run: () => unknown): JobSourceError {
  try {
    run();
  } catch (error) {
    if (error instanceof JobSourceError) return error;
    throw error;
  }
  throw new Error("expected a JobSourceError");
}

describe("checkJobSource", () => {
  it("accepts functions, arrows, async and generator functions", async () => {
    function add(x: number, y: number) {
      return x + y;
    }
    expect(revive(checkJobSource(add, "add"))(3, 4)).toBe(7);
    expect(revive(checkJobSource((x: number) => x * 2, "double"))(4)).toBe(8);
    expect(await revive(checkJobSource(async (x: number) => x + 1, "inc"))(1)).toBe(2);
    const gen = revive(
      checkJobSource(function* count() {
        yield 1;
        yield 2;
      }, "count"),
    );
    expect([...(gen() as Iterable<number>)]).toEqual([1, 2]);
  });

  /* eslint-disable @typescript-eslint/unbound-method -- a user hands a method over as a value */
  it("rewrites method shorthand into a function", async () => {
    const methods = {
      double(x: number) {
        return x * 2;
      },
      async later(x: number) {
        return x;
      },
      *pair() {
        yield* [1, 2];
      },
      delete(x: number) {
        return -x;
      },
    };
    const double = checkJobSource(methods.double, "double");
    expect(double).toMatch(/^function double\(/);
    expect(revive(double)(5)).toBe(10);
    expect(checkJobSource(methods.later, "later")).toMatch(/^async function later\(/);
    expect(await revive(checkJobSource(methods.later, "later"))(3)).toBe(3);
    expect([...(revive(checkJobSource(methods.pair, "pair"))() as Iterable<number>)]).toEqual([
      1, 2,
    ]);
    // A keyword cannot name a function: the rewrite is anonymous.
    expect(revive(checkJobSource(methods.delete, "delete"))(2)).toBe(-2);
  });

  /* eslint-enable @typescript-eslint/unbound-method */

  it("accepts a private method, read from its class", () => {
    class Holder {
      static method() {
        return new Holder().#secret;
      }
      #secret(x: number) {
        return x + 1;
      }
    }
    expect(revive(checkJobSource(Holder.method(), "secret"))(1)).toBe(2);
  });

  it("accepts globals, require, locals and the function's own name", () => {
    function everything(n: number, { scale = 2 } = {}, ...rest: number[]): unknown {
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- jobs require() in the worker
      const os = require("node:os") as { platform(): string };
      console.log(Math.max(n, 1), JSON.stringify(rest), process.pid, Buffer.from("x"));
      setTimeout(() => undefined, 0);
      try {
        helper();
      } catch (caught) {
        void caught;
      }
      class Local {}
      const Made = class Self {
        static make() {
          return new Self();
        }
      };
      if (new.target !== undefined) return Made.make();
      outer: for (const item of rest) if (item > 0) continue outer;
      function helper() {
        return arguments.length;
      }
      return n <= 1 ? [os.platform(), new Local(), scale] : everything(n - 1);
    }
    expect(() => checkJobSource(everything, "everything")).not.toThrow();
  });

  it("refuses a function that captures an outer variable, naming it", () => {
    const k = 3;
    const error = sourceError(() => checkJobSource((x: number) => x * k, "scale"));
    expect(error.captured).toEqual(["k"]);
    expect(error.taskName).toBe("scale");
    expect(error.message).toContain('"k"');
  });

  it("names every captured variable, in order of appearance", () => {
    const a = 1;
    const b = { c: 2 };
    const capture = () => {
      const local = a + b.c;
      return local + a;
    };
    expect(sourceError(() => checkJobSource(capture, "sum")).captured).toEqual(["a", "b"]);
  });

  it("names a global the worker does not have, read through globalThis", () => {
    const viaGlobal = function viaGlobal() {
      return (
        (globalThis as unknown as { x: number }).x * 2 + Number(global["process"] !== undefined)
      );
    };
    const error = sourceError(() => checkJobSource(viaGlobal, "viaGlobal"));
    expect(error.captured).toEqual(["globalThis.x"]);
    expect(error.message).toContain('"globalThis.x"');
    // globals every worker has pass
    const fine = () => globalThis.Math.max(1, Number(globalThis.process.pid > 0));
    expect(revive(checkJobSource(fine, "fine"))()).toBe(1);
  });

  it("refuses native and bound functions, and classes", () => {
    expect(sourceError(() => checkJobSource(Math.max, "max")).message).toMatch(/native or bound/);
    const bound = function f(this: unknown) {
      return this;
    }.bind(null);
    expect(sourceError(() => checkJobSource(bound, "bound")).message).toMatch(/native or bound/);
    expect(sourceError(() => checkJobSource(class Thing {}, "thing")).message).toMatch(/a class/);
  });

  it("accepts code compiled with keepNames or for old targets", () => {
    const compiled = revive(
      "function job(x) { const inner = __name(() => x, 'inner'); " +
        "return __awaiter(this, void 0, void 0, function* () { return inner(); }); }",
    );
    expect(() => checkJobSource(compiled, "compiled")).not.toThrow();
  });

  it("returns the same source for the same function", () => {
    const fn = (x: number) => x;
    expect(checkJobSource(fn, "a")).toBe(checkJobSource(fn, "b"));
  });
});
