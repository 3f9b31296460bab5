/**
 * A call of plain values has its INPUT links stored as it is made, before it starts: a run
 * continued from a dead process finds its PLANNED calls linked already and must not link
 * them again, while its calls with futures are linked as they start, as before.
 */
import { afterEach, describe, expect, it } from "vitest";
import { continueRun } from "../../engine/durable/continue-run.js";
import { PostgresStore } from "../../engine/store/postgres/postgres-store.js";
import { staged } from "../fixtures/staged-flow.js";
import { startFixture } from "../support/fixture-process.js";
import { usePgSchemas } from "../support/postgres.js";
import { useTempHome } from "../support/temp-home.js";

const N = 4;
const schemas = usePgSchemas();
const home = useTempHome();
const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0).reverse()) cleanup();
});

/** The INPUT links into task `pk`: label → the stored value of the node it comes from. */
function inputsOf(store: PostgresStore, pk: number): [string, string | null | undefined][] {
  return store
    .links({ to: pk, type: "INPUT" })
    .map((link): [string, string | null | undefined] => [link.label, store.node(link.from)?.value])
    .sort((a, b) => a[0].localeCompare(b[0]));
}

describe("a continued run whose calls were linked as they were made", () => {
  it("links each call's inputs once: those PLANNED when its holder died are not linked again", async () => {
    const url = schemas.url();
    const store = new PostgresStore(url);
    cleanups.push(() => store.close());
    // one task at a time: stage 2's first task is held, the other three wait PLANNED
    const holder = startFixture("hold-staged-run.ts", [url, String(N), "1"], home.path);
    cleanups.push(() => holder.child.kill("SIGKILL"));
    const [, held] = await holder.waitForLine(/^held (\d+)$/, 60_000);
    holder.child.kill("SIGKILL");
    await holder.exited();
    const pk = Number(held);

    const before = store.tasks(pk);
    const planned = before.filter((t) => t.state === "PLANNED");
    expect(planned.map((t) => t.name)).toEqual(["part5", "part6", "part7"]);
    // linked as they were called, though they never started
    for (const [i, t] of planned.entries()) {
      expect(inputsOf(store, t.pk)).toEqual([
        ["i", String(i + 1)],
        ["stage", "2"],
      ]);
    }

    const continued = continueRun(pk, staged, { store });
    const results = (await continued) as { last: { value: number } };
    expect(results.last.value).toBe(300 + 200 + N - 1);
    store.flush();

    const tasks = store.tasks(pk);
    expect(tasks).toHaveLength(3 * N);
    expect(tasks.every((t) => t.state === "FINISHED")).toBe(true);
    for (const [position, t] of tasks.entries()) {
      const stage = Math.floor(position / N) + 1;
      const i = position % N;
      // stage 3 takes stage 2's result i (a future, linked as the task started)
      const input = stage === 3 ? 200 + i : i;
      expect(inputsOf(store, t.pk), t.name ?? undefined).toEqual([
        ["i", String(input)],
        ["stage", String(stage)],
      ]);
    }
  }, 120_000);
});
