/**
 * A run continued by another process keeps its call order. pks come in blocks per process, so
 * the tasks a second holder creates may have smaller pks than its predecessor's: the stored
 * order (what a continued run matches positions against, and what a stored graph shows) must
 * be the order of the calls, not of the pks.
 *
 * It links each call's inputs once. A call of plain values has its INPUT links stored as it is
 * made, before it starts: the continued run finds its PLANNED calls linked already and must
 * not link them again, while its calls with futures are linked as they start.
 */
import { describe, expect, it } from "vitest";
import { continueRun } from "../../engine/durable/continue-run.js";
import { run, task } from "../../engine/index.js";
import { PostgresStore } from "../../engine/store/postgres/postgres-store.js";
import { storedRunGraph } from "../../engine/store/queries/stored-run-graph.js";
import { staged } from "../fixtures/staged-flow.js";
import { useCleanups } from "../support/cleanups.js";
import { startFixture } from "../support/fixture-process.js";
import { usePgSchemas } from "../support/postgres.js";
import { useTempHome } from "../support/temp-home.js";

const N = 4;
const schemas = usePgSchemas();
const home = useTempHome();
const cleanup = useCleanups();

const one = task(function one() {
  return 1;
});

describe("a run continued by a process whose pks are smaller", () => {
  it("keeps its tasks in call order in the store and in the stored graph", async () => {
    const url = schemas.url();
    // the second holder has worked before: its block of pks precedes the first holder's
    const second = new PostgresStore(url);
    cleanup(() => second.close());
    await run(async () => ({ one: one().result }), {}, { store: second, log: false });
    second.flush();

    const first = startFixture("hold-staged-run.ts", [url, String(N)], home.path);
    cleanup(() => first.child.kill("SIGKILL"));
    const [, held] = await first.waitForLine(/^held (\d+)$/, 60_000);
    first.child.kill("SIGKILL");
    await first.exited();
    const pk = Number(held);

    const continued = continueRun(pk, staged, { store: second });
    const results = (await continued) as { last: { value: number } };
    expect(results.last.value).toBe(300 + 200 + N - 1);
    second.flush();

    const reader = new PostgresStore(url);
    cleanup(() => reader.close());
    const tasks = reader.tasks(pk);
    const names = Array.from({ length: 3 * N }, (_, i) => (i === 0 ? "part" : `part${i}`));
    // the scenario: the calls the second holder made have smaller pks than the first's
    const pkOf = new Map(tasks.map((t) => [t.name, t.pk]));
    const firstPks = names.slice(0, 2 * N).map((name) => pkOf.get(name)!);
    const secondPks = names.slice(2 * N).map((name) => pkOf.get(name)!);
    expect(Math.max(...secondPks)).toBeLessThan(Math.min(...firstPks));
    expect(tasks.map((t) => t.name)).toEqual(names);
    expect(tasks.every((t) => t.state === "FINISHED")).toBe(true);
    const graph = storedRunGraph(reader, pk)!;
    expect(graph.tasks.map((t) => [t.id, t.name])).toEqual(names.map((name, i) => [i, name]));
    // stage 3's call i takes stage 2's call i
    expect(graph.edges.map((e) => [e.from, e.to]).sort((a, b) => a[1]! - b[1]!)).toEqual(
      Array.from({ length: N }, (_, i) => [N + i, 2 * N + i]),
    );
  }, 120_000);
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
    cleanup(() => store.close());
    // one task at a time: stage 2's first task is held, the other three wait PLANNED
    const holder = startFixture("hold-staged-run.ts", [url, String(N), "1"], home.path);
    cleanup(() => holder.child.kill("SIGKILL"));
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
