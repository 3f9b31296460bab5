import { describe, expect, it } from "vitest";
import { toCodePoints, toUtf16Index } from "../../../kernel/runtime/code-points.js";

describe("cursor positions", () => {
  const text = "a😀b€c";

  it("converts Jupyter's code points to UTF-16 indexes and back", () => {
    expect([0, 1, 2, 3, 4, 5].map((n) => toUtf16Index(text, n))).toEqual([0, 1, 3, 4, 5, 6]);
    expect([0, 1, 3, 4, 5, 6].map((i) => toCodePoints(text, i))).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it("stops at the end of the text", () => {
    expect(toUtf16Index(text, 99)).toBe(text.length);
    expect(toCodePoints(text, 99)).toBe(5);
  });
});
