/** The cells' shared exports: the names a cell assigned, and the preamble that would wipe them. */
import { describe, expect, it } from "vitest";
import {
  createCellExports,
  withoutExportsPreamble,
} from "../../../kernel/execution/cell-exports.js";

describe("withoutExportsPreamble", () => {
  it("drops every preamble line (TypeScript writes 50 names a line), keeping line numbers", () => {
    const names = Array.from({ length: 60 }, (_, i) => `n${i}`);
    const preamble = [names.slice(0, 50), names.slice(50)]
      .map((group) => `${group.map((n) => `exports.${n} = `).join("")}void 0;`)
      .join("\n");
    const output = `Object.defineProperty(exports, "__esModule", { value: true });\n${preamble}\nconst n0 = 1;\nexports.n0 = n0;`;
    const { code, declared } = withoutExportsPreamble(output);
    expect(declared).toEqual(names);
    expect(code.split("\n")).toEqual([
      'Object.defineProperty(exports, "__esModule", { value: true });',
      "",
      "",
      "const n0 = 1;",
      "exports.n0 = n0;",
    ]);
  });
});

describe("createCellExports", () => {
  it("records assignments and getters of the running cell only, storing values", () => {
    const cells = createCellExports();
    const exports = cells.object;
    exports.a = 1;
    cells.startCell();
    exports.b = 2;
    Object.defineProperty(exports, "c", { enumerable: true, get: () => 3 });
    Object.defineProperty(exports, "__esModule", { value: true });
    expect([...cells.assigned()]).toEqual(["b", "c"]);
    expect({ ...exports }).toEqual({ a: 1, b: 2, c: 3 });
    exports.c = 4;
    expect(exports.c).toBe(4);
  });
});
