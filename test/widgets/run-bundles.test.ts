import { firstValueFrom, lastValueFrom, toArray } from "rxjs";
import { describe, expect, it } from "vitest";
import { MemoryStore, run, task, type MimeBundle } from "../../engine/index.js";
import { runBundles$ } from "../../widgets/index.js";

const text = (bundle: MimeBundle | undefined) => bundle?.["text/plain"];

describe("runBundles$", () => {
  it("shows the run at once, and always ends on its final state", async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const held = task(async function held(x: number) {
      await gate;
      return x;
    });
    const double = task(function double(x: number) {
      return 2 * x;
    });
    const r = run(
      async function twoSteps() {
        const a = held(1);
        return { b: double(a.result).result };
      },
      {},
      { log: false, store: new MemoryStore() },
    );
    const bundles$ = runBundles$(r);
    const all = lastValueFrom(bundles$.pipe(toArray()));
    // a second subscriber sees the first frame while the task is still held
    const first = await firstValueFrom(bundles$);
    expect(text(first)).toMatch(/^twoSteps: (0 tasks|2 tasks, 1 (PLANNED|RUNNING))/);
    release();
    const bundles = await all;
    expect(text(bundles.at(-1))).toBe("twoSteps: 2 tasks, 2 FINISHED");
    expect(bundles.at(-1)?.["image/svg+xml"]).toContain(">double</text>");
  });

  it("gives one bundle of an ended run, then completes", async () => {
    const r = run(async function nothing() {}, {}, { log: false, store: new MemoryStore() });
    await r;
    const bundles = await lastValueFrom(runBundles$(r, { view: "timeline" }).pipe(toArray()));
    expect(bundles.map(text)).toEqual(["nothing: 0 tasks (timeline)"]);
  });
});
