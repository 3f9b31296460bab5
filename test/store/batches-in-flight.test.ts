import { describe, expect, it } from "vitest";
import { BatchesInFlight } from "../../engine/store/sqlite/batches-in-flight.js";
import {
  DATA_WIDTH,
  PROCESS_WIDTH,
  emptyBatch,
  type WriteBatch,
} from "../../engine/store/sqlite/write-batch.js";

/** A batch of data rows and process rows with these pks (the other columns left empty). */
function batchOf(dataPks: number[], processRows: [number, string][]): WriteBatch {
  const data: unknown[] = [];
  for (const pk of dataPks) data.push(pk, ...new Array<null>(DATA_WIDTH - 1).fill(null));
  const processes: unknown[] = [];
  for (const [pk, type] of processRows) {
    const row = new Array<unknown>(PROCESS_WIDTH).fill(null);
    row[0] = pk;
    row[2] = type;
    processes.push(...row);
  }
  return { ...emptyBatch(), data, processes };
}

describe("batches on their way to the writer thread", () => {
  it("knows each node's type, in any order, until its batch is committed", () => {
    const flights = new BatchesInFlight();
    flights.posted(
      1,
      batchOf(
        [10, 12, 11],
        [
          [13, "task"],
          [2, "run"],
        ],
      ),
    );
    flights.posted(2, emptyBatch());
    flights.posted(3, batchOf([20], [[5, "task"]]));
    expect([2, 5, 10, 11, 12, 13, 20].map((pk) => flights.type(pk))).toEqual([
      "run",
      "task",
      "data",
      "data",
      "data",
      "task",
      "data",
    ]);
    for (const pk of [1, 3, 4, 6, 9, 14, 19, 21]) expect(flights.type(pk)).toBeUndefined();
    flights.landed(2);
    expect(flights.type(10)).toBeUndefined();
    expect(flights.type(2)).toBeUndefined();
    expect(flights.type(5)).toBe("task");
    flights.landed(3);
    expect(flights.type(5)).toBeUndefined();
    expect(flights.type(20)).toBeUndefined();
  });

  it("keeps the batches not yet committed while many land", () => {
    const flights = new BatchesInFlight();
    for (let seq = 1; seq <= 200; seq++) flights.posted(seq, batchOf([seq * 10], []));
    flights.landed(150);
    expect(flights.type(1500)).toBeUndefined();
    expect(flights.type(1510)).toBe("data");
    expect(flights.type(2000)).toBe("data");
    flights.posted(201, batchOf([], [[3, "task"]]));
    expect(flights.type(3)).toBe("task");
    // its array is one a landed batch held: nothing of that batch is found in it
    expect(flights.type(1500)).toBeUndefined();
    expect(flights.type(10)).toBeUndefined();
    flights.landed(201);
    expect(flights.type(2000)).toBeUndefined();
    expect(flights.type(3)).toBeUndefined();
  });

  it("refuses a node type it does not know", () => {
    expect(() => new BatchesInFlight().posted(1, batchOf([], [[1, "graph"]]))).toThrow(
      "Unknown node type graph",
    );
  });
});
