import { describe, expect, it } from "vitest";
import { BatchesInFlight, nodesOf } from "../../engine/store/sqlite/batches-in-flight.js";
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
  it("knows each node's type, in any order, on its way and once committed", () => {
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
    const types = ["run", "task", "data", "data", "data", "task", "data"];
    const pks = [2, 5, 10, 11, 12, 13, 20];
    expect(pks.map((pk) => flights.type(pk))).toEqual(types);
    for (const pk of [1, 3, 4, 6, 9, 14, 19, 21]) expect(flights.type(pk)).toBeUndefined();
    flights.landed(2);
    flights.landed(3);
    expect(pks.map((pk) => flights.type(pk))).toEqual(types);
    for (const pk of [1, 3, 4, 6, 9, 14, 19, 21]) expect(flights.type(pk)).toBeUndefined();
  });

  it("takes back the types of the batches refused, and only theirs", () => {
    const flights = new BatchesInFlight();
    flights.posted(1, batchOf([70_000, 70_001], [[69_999, "task"]]));
    flights.posted(2, batchOf([70_002], [[70_003, "run"]]));
    flights.posted(3, batchOf([200_000], []));
    flights.landed(1);
    flights.landed(2, true);
    expect([69_999, 70_000, 70_001, 200_000].map((pk) => flights.type(pk))).toEqual([
      "task",
      "data",
      "data",
      "data",
    ]);
    expect(flights.type(70_002)).toBeUndefined();
    expect(flights.type(70_003)).toBeUndefined();
    flights.landed(3, true);
    expect(flights.type(200_000)).toBeUndefined();
    expect(flights.type(69_999)).toBe("task");
  });

  it("keeps every type while many batches land and their arrays are reused", () => {
    const flights = new BatchesInFlight();
    for (let seq = 1; seq <= 200; seq++) flights.posted(seq, batchOf([seq * 10], []));
    flights.landed(150);
    flights.posted(201, batchOf([], [[3, "task"]]));
    expect(flights.type(3)).toBe("task");
    for (const pk of [10, 1500, 1510, 2000]) expect(flights.type(pk)).toBe("data");
    flights.landed(201, true);
    // refused: batches 151 to 201, whose nodes were on their way
    expect(flights.type(1500)).toBe("data");
    expect(flights.type(1510)).toBeUndefined();
    expect(flights.type(2000)).toBeUndefined();
    expect(flights.type(3)).toBeUndefined();
  });

  it("knows the nodes of a batch written on the store's own connection", () => {
    const flights = new BatchesInFlight();
    flights.written(nodesOf(batchOf([131_073], [[131_072, "run"]])));
    expect(flights.type(131_072)).toBe("run");
    expect(flights.type(131_073)).toBe("data");
    // below the first page of pks noted: left to the file
    flights.written(nodesOf(batchOf([5], [])));
    expect(flights.type(5)).toBeUndefined();
  });

  it("refuses a node type it does not know", () => {
    expect(() => new BatchesInFlight().posted(1, batchOf([], [[1, "graph"]]))).toThrow(
      "Unknown node type graph",
    );
  });
});
