import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  canonicalJson,
  encodeTagged,
  parseCanonicalJson,
  stringifySorted,
} from "../../engine/store/canonical-json.js";

const roundTrip = (value: unknown): unknown => parseCanonicalJson(canonicalJson(value));

describe("canonical JSON", () => {
  it("sorts keys at every depth, so equal values give equal text", () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { z: 1, y: 2 }], c: null } })).toBe(
      '{"a":{"c":null,"d":[1,{"y":2,"z":1}]},"b":1}',
    );
    expect(canonicalJson({ x: 1, y: 2 })).toBe(canonicalJson({ y: 2, x: 1 }));
  });

  it("keeps plain JSON values as JSON", () => {
    for (const value of [7, -3.5, "text", true, null, [1, "a"], { a: [true] }]) {
      expect(canonicalJson(value)).toBe(JSON.stringify(value));
      expect(roundTrip(value)).toEqual(value);
    }
  });

  it("round-trips what JSON cannot hold", () => {
    const date = new Date("2026-01-02T03:04:05.678Z");
    const value = {
      big: 12345678901234567890n,
      date,
      map: new Map<unknown, unknown>([
        ["k", 1],
        [2, new Set(["s"])],
      ]),
      set: new Set([1, 2]),
      missing: undefined,
      nan: Number.NaN,
      inf: Number.POSITIVE_INFINITY,
      negZero: -0,
      bytes: new Uint8Array([1, 2, 255]),
      floats: new Float64Array([1.5, -2]),
      pattern: /a+b/gi,
    };
    const back = roundTrip(value) as typeof value;
    expect(back.big).toBe(12345678901234567890n);
    expect(back.date).toEqual(date);
    expect(back.map).toEqual(value.map);
    expect(back.set).toEqual(value.set);
    expect("missing" in back && back.missing === undefined).toBe(true);
    expect(back.nan).toBeNaN();
    expect(back.inf).toBe(Number.POSITIVE_INFINITY);
    expect(Object.is(back.negZero, -0)).toBe(true);
    expect(back.bytes).toEqual(value.bytes);
    expect(back.floats).toEqual(value.floats);
    expect(back.pattern).toEqual(value.pattern);
    expect(canonicalJson(roundTrip(value))).toBe(canonicalJson(value));
  });

  it("keeps an object that has the tag key itself as it is", () => {
    const value = { $wg: "bigint", v: "1" };
    expect(roundTrip(value)).toEqual(value);
  });

  it("never throws: cycles, functions, symbols and throwing getters are kept as text", () => {
    const cyclic: Record<string, unknown> = { name: "loop" };
    cyclic.self = cyclic;
    expect(roundTrip(cyclic)).toEqual({ name: "loop", self: "[Circular]" });
    expect(roundTrip({ f: function add() {} })).toEqual({ f: "[Function: add]" });
    expect(roundTrip(Symbol("s"))).toBe("Symbol(s)");
    const hostile = {
      get boom(): never {
        throw new Error("no");
      },
    };
    expect(() => canonicalJson(hostile)).not.toThrow();
    expect(typeof roundTrip(hostile)).toBe("string");
  });

  it("stores errors and class instances by their fields", () => {
    class Point {
      constructor(
        readonly x: number,
        readonly y: number,
      ) {}
    }
    expect(roundTrip(new Point(1, 2))).toEqual({ x: 1, y: 2 });
    expect(encodeTagged(new Point(1, 2))).toEqual({
      $wg: "instance",
      class: "Point",
      v: { x: 1, y: 2 },
    });
    const error = roundTrip(new TypeError("bad")) as Error;
    expect([error.name, error.message]).toEqual(["TypeError", "bad"]);
  });

  it("gives JSON as it is the same text as the tagged way", () => {
    const tagged = (value: unknown) => JSON.stringify(encodeTagged(value));
    const holes: unknown[] = [1];
    holes[2] = 3;
    const withToJson = Object.assign([1, 2], { toJSON: () => "other" });
    let deep: unknown = 1;
    for (let i = 0; i < 40; i++) deep = [deep];
    const values = [
      [3, 1],
      { a: 1, b: [2, { c: null }] },
      { b: 1, a: 2 },
      { 10: "x", 9: "y" },
      { 1: "x", 2: "y", a: "z" },
      { a: { $wg: "bigint", v: "1" } },
      { a: [1, -0] },
      { a: undefined },
      [undefined],
      holes,
      withToJson,
      Object.assign(Object.create(null) as object, { a: 1 }),
      { a: new Date(0) },
      deep,
    ];
    for (const value of values) expect(canonicalJson(value)).toBe(tagged(value));
    fc.assert(
      fc.property(fc.anything({ withNullPrototype: true, withSparseArray: true }), (value) => {
        expect(canonicalJson(value)).toBe(tagged(value));
      }),
    );
  });

  it("re-sorts an already tagged tree without tagging it again", () => {
    expect(stringifySorted({ b: { $wg: "bigint", v: "1" }, a: 1 })).toBe(
      '{"a":1,"b":{"$wg":"bigint","v":"1"}}',
    );
  });
});
