/**
 * A run continued by another process keeps its call order. pks come in blocks per process, so
 * the tasks a second holder creates may have smaller pks than its predecessor's: the stored
 * order (what a continued run matches positions against, and what a stored graph shows) must
 * be the order of the calls, not of the pks.
 */
import { afterEach, describe, expect, it } from "vitest";
import { continueRun } from "../../engine/durable/continue-run.js";
import { run, task } from "../../engine/index.js";
import { PostgresStore } from "../../engine/store/postgres/postgres-store.js";
import { storedRunGraph } from "../../engine/store/queries/stored-run-graph.js";
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

const one = task(function one() {
  return 1;
});

describe("a run continued by a process whose pks are smaller", () => {
  it("keeps its tasks in call order in the store and in the stored graph", async () => {
    const url = schemas.url();
    // the second holder has worked before: its block of pks precedes the first holder's
    const second = new PostgresStore(url);
    cleanups.push(() => second.close());
    await run(async () => ({ one: one().result }), {}, { store: second, log: false });
    second.flush();

    const first = startFixture("hold-staged-run.ts", [url, String(N)], home.path);
    cleanups.push(() => first.child.kill("SIGKILL"));
    const [, held] = await first.waitForLine(/^held (\d+)$/, 60_000);
    first.child.kill("SIGKILL");
    await first.exited();
    const pk = Number(held);

    const continued = continueRun(pk, staged, { store: second });
    const results = (await continued) as { last: { value: number } };
    expect(results.last.value).toBe(300 + 200 + N - 1);
    second.flush();

    const reader = new PostgresStore(url);
    cleanups.push(() => reader.close());
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
