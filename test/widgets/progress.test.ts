/**
 * The progress line of a live run: under the DAG's title and in the text of the live bundle,
 * and in the text fallback; gone from the final picture, which carries a PNG instead.
 */
import { firstValueFrom, lastValueFrom, toArray } from "rxjs";
import { describe, expect, it } from "vitest";
import { MemoryStore, run, task, waitFor, type MimeBundle } from "../../engine/index.js";
import { progressText, runProgress } from "../../engine/plumbing.js";
import { summaryBundles } from "../../kernel/runtime/run-summary.js";
import { runBundles$, VEGA_LITE_MIME } from "../../widgets/index.js";

const PROGRESS = /^\d[\d,]* \/ \d[\d,]* tasks done · [\d,]+ tasks\/s · [\d.]+ (ms|s)$/;

function heldRun() {
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  const held = task(async function held(x: number) {
    await gate;
    return x;
  });
  const quick = task(function quick(x: number) {
    return x + 1;
  });
  const r = run(
    async function partly() {
      const done = quick(1);
      await waitFor(done);
      return { a: held(1).result, b: done.result };
    },
    {},
    { log: false, store: new MemoryStore() },
  );
  return { r, release };
}

const subtitle = (bundle: MimeBundle | undefined): unknown =>
  (bundle?.[VEGA_LITE_MIME] as { title?: { subtitle?: unknown } } | undefined)?.title?.subtitle;

describe("progress", () => {
  it("counts ended tasks, their rate and the time since the start", () => {
    const tasks = [
      { state: "FINISHED" as const },
      { state: "FAILED" as const },
      { state: "RUNNING" as const },
    ];
    const progress = runProgress(tasks, 1_000, 3_000);
    expect(progress).toEqual({ done: 2, total: 3, elapsedMs: 2_000, perSecond: 1 });
    expect(progressText(progress)).toBe("2 / 3 tasks done · 1 tasks/s · 2.00 s");
    expect(progressText(runProgress(Array(10_001).fill({ state: "FINISHED" }), 0, 4_000))).toBe(
      "10,001 / 10,001 tasks done · 2,500 tasks/s · 4.00 s",
    );
  });

  it("shows under the live DAG's title and in its text, and not in the final picture", async () => {
    const { r, release } = heldRun();
    const bundles$ = runBundles$(r);
    const all = lastValueFrom(bundles$.pipe(toArray()));
    await new Promise((resolve) => setTimeout(resolve, 50));
    const live = await firstValueFrom(bundles$);
    expect(String(subtitle(live))).toMatch(PROGRESS);
    expect(String(live["text/plain"]).split("\n")[1]).toMatch(PROGRESS);
    expect(String(subtitle(live))).toMatch(/^1 \/ 2 tasks done/);
    expect(live["image/png"]).toBeUndefined();
    release();
    const last = (await all).at(-1);
    expect(subtitle(last)).toBeUndefined();
    expect(last?.["text/plain"]).toBe("partly: 2 tasks, 2 FINISHED");
    expect(typeof last?.["image/png"]).toBe("string");
  });

  it("shows in the text fallback while the run goes on", async () => {
    const { r, release } = heldRun();
    const bundles$ = summaryBundles()(r);
    const all = lastValueFrom(bundles$.pipe(toArray()));
    await new Promise((resolve) => setTimeout(resolve, 50));
    const live = String((await firstValueFrom(bundles$))["text/plain"]).split("\n");
    expect(live[0]).toMatch(/^partly \(pk \d+\): (RUNNING|WAITING), 2 tasks/);
    expect(live[1]?.trim()).toMatch(PROGRESS);
    release();
    const last = String((await all).at(-1)?.["text/plain"]).split("\n");
    expect(last[1]).toMatch(/^ {2}quick +FINISHED$/);
  });
});
