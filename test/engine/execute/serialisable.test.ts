import net from "node:net";
import { describe, expect, it } from "vitest";
import { findUnserialisable } from "../../../engine/execute/serialisable.js";

describe("findUnserialisable", () => {
  it("accepts primitives", () => {
    for (const value of [undefined, null, true, 0, -1.5, NaN, "text", 12n]) {
      expect(findUnserialisable(value, "x")).toBeUndefined();
    }
  });

  it("accepts plain data, the built-in containers and cycles", () => {
    const cyclic: Record<string, unknown> = { name: "loop" };
    cyclic["self"] = cyclic;
    const value = {
      list: [1, "two", [3n], { four: null }],
      map: new Map<unknown, unknown>([
        ["a", new Set([1, 2])],
        [{ key: true }, new Date(0)],
      ]),
      pattern: /a+b/g,
      bytes: new Uint8Array([1, 2, 3]),
      view: new DataView(new ArrayBuffer(4)),
      buffer: new ArrayBuffer(8),
      error: new RangeError("out of range"),
      bare: Object.assign(Object.create(null) as object, { x: 1 }),
      cyclic,
    };
    expect(findUnserialisable(value, "x")).toBeUndefined();
  });

  it("reports a function with its path", () => {
    expect(findUnserialisable({ a: 1, f: () => 1 }, "x")).toEqual({
      path: "x.f",
      what: "a function",
    });
    expect(findUnserialisable([1, 2, { f() {} }], "x")).toEqual({
      path: "x[2].f",
      what: "a function",
    });
    expect(findUnserialisable(() => 1, "input")).toEqual({ path: "input", what: "a function" });
  });

  it("reports a net.Socket as a class instance", () => {
    const sock = new net.Socket();
    try {
      expect(findUnserialisable({ host: "h", sock }, "x")).toEqual({
        path: "x.sock",
        what: "a Socket instance",
      });
    } finally {
      sock.destroy();
    }
  });

  it("reports a symbol", () => {
    expect(findUnserialisable({ list: [1, 2, Symbol("s")] }, "x")).toEqual({
      path: "x.list[2]",
      what: "a symbol",
    });
  });

  it("names promises, weak collections and instances of user classes", () => {
    class Point {
      constructor(readonly x: number) {}
    }
    expect(findUnserialisable({ p: Promise.resolve(1) }, "x")?.what).toBe("a Promise");
    expect(findUnserialisable({ w: new WeakMap() }, "x")?.what).toBe("a WeakMap");
    expect(findUnserialisable({ a: new Point(1) }, "x")?.what).toBe("a Point instance");
    expect(findUnserialisable(new (class Engine {})(), "x")?.what).toBe("an Engine instance");
    expect(findUnserialisable({ c: Point }, "x")?.what).toBe("a class");
  });

  it("writes paths through odd keys, maps and sets", () => {
    expect(findUnserialisable({ "a b": { f: () => 1 } }, "x")?.path).toBe('x["a b"].f');
    expect(findUnserialisable(new Map([["k", () => 1]]), "x")?.path).toBe('x.get("k")');
    expect(findUnserialisable(new Map([[() => 1, 1]]), "x")?.path).toBe("[...x.keys()][0]");
    expect(findUnserialisable(new Set([1, Symbol.iterator]), "x")?.path).toBe("[...x][1]");
  });

  it("reports the first problem in document order", () => {
    const found = findUnserialisable({ a: [0, { b: () => 1 }], c: Symbol("later") }, "x");
    expect(found).toEqual({ path: "x.a[1].b", what: "a function" });
  });

  it("walks a very deep structure without overflowing the stack", () => {
    let list: { next?: unknown; f?: unknown } = { f: () => 1 };
    for (let i = 0; i < 20_000; i++) list = { next: list };
    const found = findUnserialisable(list, "x");
    expect(found?.what).toBe("a function");
    expect(found?.path.startsWith("x.next.next.")).toBe(true);
    expect(found?.path.endsWith(".next.f")).toBe(true);
  });
});
