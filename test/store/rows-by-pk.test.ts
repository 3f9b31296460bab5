import { describe, expect, it } from "vitest";
import { RowsByPk } from "../../engine/store/sqlite/rows-by-pk.js";

describe("queued rows by pk", () => {
  it("finds, replaces and forgets rows across chunks and far-apart pks", () => {
    const rows = new RowsByPk<string>();
    const pks = [1, 2, 1023, 1024, 1025, 5000, 2 ** 40 + 7];
    for (const pk of pks) rows.set(pk, `row ${pk}`);
    for (const pk of pks) expect(rows.get(pk)).toBe(`row ${pk}`);
    expect(rows.get(3)).toBeUndefined();
    expect(rows.get(2 ** 40 + 8)).toBeUndefined();
    rows.set(1024, "again");
    expect(rows.get(1024)).toBe("again");
    rows.delete(1024);
    rows.delete(1024);
    rows.delete(99);
    expect(rows.get(1024)).toBeUndefined();
    expect(rows.get(1025)).toBe("row 1025");
    expect([...rows.values()]).toEqual([
      "row 1",
      "row 2",
      "row 1023",
      "row 1025",
      "row 5000",
      `row ${2 ** 40 + 7}`,
    ]);
  });

  it("drops a chunk once its last row goes, and makes it anew when needed", () => {
    const rows = new RowsByPk<number>();
    rows.set(2048, 1);
    rows.delete(2048);
    expect([...rows.values()]).toEqual([]);
    rows.set(2049, 2);
    expect(rows.get(2049)).toBe(2);
    expect(rows.get(2048)).toBeUndefined();
    rows.clear();
    expect(rows.get(2049)).toBeUndefined();
    expect([...rows.values()]).toEqual([]);
  });
});
