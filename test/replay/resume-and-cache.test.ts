import { afterEach, describe, expect, it } from "vitest";
import { rootCause, run, task, type RunOptions } from "../../engine/index.js";
import type { ProfileStore } from "../../engine/store/open-profile.js";
import { storeBackends } from "../support/store-backends.js";

const backends = storeBackends();
let store: ProfileStore;
afterEach(() => store?.close?.());

const calls: string[] = [];
const step = task(function step(i: number, previous: number) {
  return previous + i;
});

function options(extra: Partial<RunOptions> = {}): RunOptions {
  return { log: false, store, ...extra };
}

describe.each(backends.all)("resume over $name", (backend) => {
  it("after a task failure and a fix, reruns only the fixed task and what follows it", async () => {
    store = backend.open();
    let broken = true;
    const seventh = task(function seventh(previous: number) {
      calls.push("seventh");
      if (broken) throw new Error("bug in seventh");
      return previous * 2;
    });
    const counted = task(function counted(i: number, previous: number) {
      calls.push(`step${i}`);
      return previous + i;
    });
    async function tenSteps() {
      let value = counted(1, 0);
      for (let i = 2; i <= 6; i++) value = counted(i, value.result);
      let last = seventh(value.result);
      for (let i = 8; i <= 10; i++) last = counted(i, last.result);
      return { last: last.result };
    }
    calls.length = 0;
    const first = run(tenSteps, {}, options());
    const error = await first.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect((rootCause(error) as Error).message).toBe("bug in seventh");
    expect(calls).toEqual(["step1", "step2", "step3", "step4", "step5", "step6", "seventh"]);

    broken = false;
    calls.length = 0;
    const resumed = run(tenSteps, {}, options({ resume: first.pk }));
    const results = await resumed;
    expect(results.last.value).toBe(21 * 2 + 8 + 9 + 10);
    expect(calls).toEqual(["seventh", "step8", "step9", "step10"]);
    const reused = resumed.tasks.filter((t) => t.id < 6).map((t) => t.state);
    expect(reused).toEqual(Array(6).fill("FINISHED"));
    const stored = store
      .tasks(resumed.pk)
      .slice(0, 6)
      .map((row) => JSON.parse(row.attributes ?? "{}") as Record<string, unknown>);
    expect(stored.map((a) => a.reuse)).toEqual(Array(6).fill("resume"));
    expect(stored.map((a) => a.reusedFrom)).toEqual(
      store
        .tasks(first.pk)
        .slice(0, 6)
        .map((r) => r.pk),
    );
    expect(resumed.reports.some((l) => l.message.includes(`reused pk`))).toBe(true);
  });

  it("refuses a pk that is not a run", () => {
    store = backend.open();
    expect(() => run(async () => undefined, {}, options({ resume: 999 }))).toThrow(
      "Cannot resume run 999: there is no run with that pk",
    );
  });
});

describe.each(backends.all)("caching over $name", (backend) => {
  it("reuses a FINISHED call with the same code and inputs, and records it", async () => {
    store = backend.open();
    const flow = async (x: number) => ({ y: step(x, 10).result });
    const miss = await run(flow, { x: 1 }, options({ cache: true }));
    expect(miss.y.value).toBe(11);
    const hit = run(flow, { x: 1 }, options({ cache: true }));
    expect((await hit).y.value).toBe(11);
    const attributes = JSON.parse(store.tasks(hit.pk)[0]?.attributes ?? "{}") as Record<
      string,
      unknown
    >;
    expect(attributes.reuse).toBe("cache");
    const other = run(flow, { x: 2 }, options({ cache: true }));
    expect((await other).y.value).toBe(12);
    const otherAttributes = JSON.parse(store.tasks(other.pk)[0]?.attributes ?? "{}") as Record<
      string,
      unknown
    >;
    expect(otherAttributes.reuse).toBeUndefined();
  });

  it("never reuses a failure", async () => {
    store = backend.open();
    let attempts = 0;
    const flaky = task(function flaky(x: number) {
      attempts++;
      if (attempts === 1) throw new Error("first call fails");
      return x;
    });
    const flow = async () => ({ v: flaky(5).result });
    await run(flow, {}, options({ cache: true })).then(
      () => undefined,
      () => undefined,
    );
    expect((await run(flow, {}, options({ cache: true }))).v.value).toBe(5);
    expect(attempts).toBe(2);
  });

  it("needs a store that can be searched", () => {
    expect(() =>
      run(
        async () => undefined,
        {},
        { log: false, cache: true, store: { addNode: () => 1 } as never },
      ),
    ).toThrow(/resume and cache need a store that can be searched/);
  });
});
