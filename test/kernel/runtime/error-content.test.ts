import { describe, expect, it } from "vitest";
import {
  diagnosticsError,
  interruptedError,
  thrownError,
} from "../../../kernel/runtime/error-content.js";

describe("error content", () => {
  it("shows each diagnostic with its position, its line and a caret", () => {
    const code = "const a = 1;\nlet x: number = 'a';";
    const error = diagnosticsError(code, [
      {
        line: 2,
        column: 5,
        code: 2322,
        message: "Type 'string' is not assignable to type 'number'.",
      },
      { line: 1, column: 1, code: 1, message: "second", file: "lib.ts" },
    ]);
    expect(error).toEqual({
      ename: "TypeScriptError",
      evalue: "Type 'string' is not assignable to type 'number'. (and 1 more)",
      traceback: [
        "cell:2:5 - error TS2322: Type 'string' is not assignable to type 'number'.",
        "    let x: number = 'a';",
        "        ^",
        "lib.ts:1:1 - error TS1: second",
      ],
    });
  });

  it("names a thrown error and follows its causes", () => {
    const error = thrownError(new RangeError("outer", { cause: new Error("inner") }));
    expect(error.ename).toBe("RangeError");
    expect(error.evalue).toBe("outer");
    expect(error.traceback[0]).toBe("RangeError: outer");
    expect(error.traceback).toContain("Caused by:");
    expect(error.traceback).toContain("Error: inner");
  });

  it("shows a thrown non-error as it prints", () => {
    expect(thrownError({ code: 7 })).toEqual({
      ename: "Uncaught",
      evalue: "{ code: 7 }",
      traceback: ["Uncaught { code: 7 }"],
    });
  });

  it("says when an interrupt stopped the cell", () => {
    expect(interruptedError().ename).toBe("InterruptedError");
  });
});
