/**
 * The lock of BullMQ's workers: 20 s by default, `WORKGRAPH_BROKER_LOCK_MS` when set (the
 * stalled check four times per lock), and a clear error naming the variable when it is wrong.
 */
import { afterEach, describe, expect, it } from "vitest";
import { workerTiming } from "../../engine/durable/broker/broker-timing.js";

const before = process.env.WORKGRAPH_BROKER_LOCK_MS;
afterEach(() => {
  if (before === undefined) delete process.env.WORKGRAPH_BROKER_LOCK_MS;
  else process.env.WORKGRAPH_BROKER_LOCK_MS = before;
});

describe("workerTiming", () => {
  it("keeps the production lock when the variable is unset", () => {
    delete process.env.WORKGRAPH_BROKER_LOCK_MS;
    expect(workerTiming()).toEqual({
      lockDuration: 20_000,
      lockRenewTime: 5_000,
      stalledInterval: 5_000,
      maxStalledCount: 3,
    });
  });

  it("takes the lock from WORKGRAPH_BROKER_LOCK_MS", () => {
    process.env.WORKGRAPH_BROKER_LOCK_MS = "5000";
    expect(workerTiming()).toEqual({
      lockDuration: 5_000,
      lockRenewTime: 1_250,
      stalledInterval: 1_250,
      maxStalledCount: 3,
    });
  });

  it.each(["soon", "500", "2500.5"])("refuses %j, naming the variable", (text) => {
    process.env.WORKGRAPH_BROKER_LOCK_MS = text;
    expect(() => workerTiming()).toThrow(/WORKGRAPH_BROKER_LOCK_MS must be a whole number/);
  });
});
