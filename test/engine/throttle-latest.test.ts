import { TestScheduler } from "rxjs/testing";
import { describe, expect, it } from "vitest";
import { throttleLatest } from "../../engine/model/throttle-latest.js";

const scheduler = () => new TestScheduler((actual, expected) => expect(actual).toEqual(expected));

describe("throttleLatest", () => {
  it("emits the first value at once, then the latest one per period", () => {
    scheduler().run(({ cold, expectObservable }) => {
      expectObservable(cold("a-b-c-----d|").pipe(throttleLatest(3))).toBe("a--b--c---d|");
    });
  });

  it("drops values superseded within a period", () => {
    scheduler().run(({ cold, expectObservable }) => {
      expectObservable(cold("abcd-------|").pipe(throttleLatest(3))).toBe("a--d-------|");
    });
  });

  it("emits a held value at once when the source completes", () => {
    scheduler().run(({ cold, expectObservable }) => {
      expectObservable(cold("a-b|").pipe(throttleLatest(10))).toBe("a--(b|)");
    });
  });

  it("passes errors on and stops its timer", () => {
    scheduler().run(({ cold, expectObservable }) => {
      expectObservable(cold("a-b#").pipe(throttleLatest(10))).toBe("a--#");
    });
  });

  it("stops its timer when unsubscribed", () => {
    scheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold("ab-------c|");
      expectObservable(source.pipe(throttleLatest(3)), "^--!").toBe("a--");
      expectSubscriptions(source.subscriptions).toBe("^--!");
    });
  });
});
