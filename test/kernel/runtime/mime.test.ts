import { describe, expect, it } from "vitest";
import { displaySymbol } from "../../../engine/model/symbols.js";
import {
  displayContent,
  isMimeBundle,
  jsonSafe,
  resultContent,
} from "../../../kernel/runtime/mime.js";

const rich = {
  name: "chart",
  [displaySymbol]: () => ({ "application/vnd.vegalite.v5+json": { mark: "bar" } }),
};

describe("MIME bundles", () => {
  it("shows a result as util.inspect text", () => {
    expect(resultContent("ab").data).toEqual({ "text/plain": "'ab'" });
    expect(resultContent({ a: [1, 2] }).data).toEqual({ "text/plain": "{ a: [ 1, 2 ] }" });
  });

  it("adds the bundle of an object with the Jupyter.display method (Deno's convention)", () => {
    expect(Symbol.for("Jupyter.display")).toBe(displaySymbol);
    expect(resultContent(rich).data).toMatchObject({
      "text/plain": expect.stringContaining("chart") as unknown,
      "application/vnd.vegalite.v5+json": { mark: "bar" },
    });
  });

  it("displays a bundle as itself, other values as text", () => {
    expect(displayContent({ "text/html": "<b>x</b>" }).data).toEqual({ "text/html": "<b>x</b>" });
    expect(displayContent("plain words").data).toEqual({ "text/plain": "plain words" });
    expect(displayContent({ html: "<b>" }).data).toEqual({ "text/plain": "{ html: '<b>' }" });
    expect(displayContent(rich, { "image/png": { width: 10 } }).metadata).toEqual({
      "image/png": { width: 10 },
    });
  });

  it("tells bundles from other objects", () => {
    expect(isMimeBundle({ "text/plain": "x", "image/svg+xml": "<svg/>" })).toBe(true);
    expect(isMimeBundle({})).toBe(false);
    expect(isMimeBundle(["text/plain"])).toBe(false);
    expect(isMimeBundle({ "not a mime": 1 })).toBe(false);
  });

  it("keeps only data that can travel as JSON", () => {
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    expect(jsonSafe({ "text/plain": "x", "application/json": circular, "a/b": 1n })).toEqual({
      data: { "text/plain": "x" },
      dropped: ["application/json", "a/b"],
    });
  });
});
