import { TestScheduler } from "rxjs/testing";
import { describe, expect, it } from "vitest";
import { throttleLatest } from "../../engine/plumbing.js";
import { exhaustLatest } from "../../widgets/index.js";

function scheduler() {
  return new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
}

describe("throttleLatest", () => {
  it("sends the first value at once, then the latest once per window", () => {
    scheduler().run(({ hot, expectObservable }) => {
      const events = hot("a-b-c-d-e-f-g------|");
      // windows of 5 frames: a at 0, then what came by 5, 10, 15; nothing new by 20
      const shown = "    a----c----f----g---|";
      expectObservable(events.pipe(throttleLatest(5))).toBe(shown);
    });
  });

  it("sends the last value as soon as the source completes, not when the window ends", () => {
    scheduler().run(({ hot, expectObservable }) => {
      const events = hot("a-b-|");
      expectObservable(events.pipe(throttleLatest(250))).toBe("a---(b|)");
    });
  });

  it("sends nothing twice: a window with no new value ends quietly", () => {
    scheduler().run(({ hot, expectObservable }) => {
      const events = hot("a---------b---|");
      expectObservable(events.pipe(throttleLatest(3))).toBe("a---------b---|");
    });
  });

  it("emits on the scheduler, never on the caller's stack", () => {
    const seen: string[] = [];
    scheduler().run(({ cold, flush }) => {
      cold("a|")
        .pipe(throttleLatest(5))
        .subscribe((v) => seen.push(v));
      seen.push("subscribed");
      flush();
    });
    expect(seen).toEqual(["subscribed", "a"]);
  });

  it("passes errors through", () => {
    scheduler().run(({ hot, expectObservable }) => {
      expectObservable(hot("a-#").pipe(throttleLatest(5))).toBe("a-#");
    });
  });
});

describe("exhaustLatest", () => {
  it("runs one render at a time, skips the stale ones and always renders the last", () => {
    scheduler().run(({ hot, cold, expectObservable }) => {
      const requests = hot("a-b-c-d------|");
      // each render takes 3 frames: b waits for a's; c arrives during b's and is replaced
      // by d before b's ends, so c is never rendered
      const render = (v: string) => cold("---(r|)", { r: v.toUpperCase() });
      expectObservable(requests.pipe(exhaustLatest(render))).toBe("---A--B--D---|", {
        A: "A",
        B: "B",
        D: "D",
      });
    });
  });

  it("completes only after the last render", () => {
    scheduler().run(({ hot, cold, expectObservable }) => {
      const requests = hot("a-b|");
      const render = (v: string) => cold("----(r|)", { r: v });
      expectObservable(requests.pipe(exhaustLatest(render))).toBe("----a---(b|)");
    });
  });
});
