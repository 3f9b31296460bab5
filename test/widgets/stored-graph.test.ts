/**
 * A run's graph read back from its store while it runs: the edges into a task that has not
 * started yet come from the sources stored with its node (its INPUT links come at start); each
 * task function's source is stored once, and every call shows it.
 */
import { describe, expect, it } from "vitest";
import { run, task } from "../../engine/index.js";
import { storedRunGraph } from "../../engine/store/queries/stored-run-graph.js";
import { SqliteStore } from "../../engine/store/sqlite/sqlite-store.js";
import { readStoredGraph, storedSource } from "../../widgets/gui/stored-graph.js";

let release: () => void = () => {};
const released = new Promise<void>((resolve) => (release = resolve));
const slow = task(async function slow() {
  await released;
  return 2;
});
const double = task(function double(x: number, y: number) {
  return x * y;
});

async function waits() {
  const a = slow();
  return { product: double(a.result, a.result).result };
}

describe("a stored graph of a running run", () => {
  it("has the edges into PLANNED tasks, for the page and for orm.load alike", async () => {
    const store = new SqliteStore(":memory:");
    const flow = run(waits, {}, { log: false, store });
    await expect.poll(() => flow.graph().tasks[0]?.state).toBe("RUNNING");
    store.flush();
    const edges = [
      { from: 0, to: 1, socket: "result", input: "x" },
      { from: 0, to: 1, socket: "result", input: "y" },
    ];
    const page = readStoredGraph(store, flow.pk);
    expect(page?.tasks.map((t) => t.state)).toEqual(["RUNNING", "PLANNED"]);
    expect(page?.edges).toEqual(edges);
    expect(storedRunGraph(store, flow.pk)?.edges).toEqual(edges);
    release();
    await flow;
    store.flush();
    // once started, the INPUT links give the same edges
    expect(readStoredGraph(store, flow.pk)?.edges).toEqual(edges);
    // the source is stored on the first call only; a later run's call names that one
    const first = readStoredGraph(store, flow.pk)?.tasks[1]?.pk ?? -1;
    const again = run(
      async function more() {
        return { product: double(3, 4).result };
      },
      {},
      { log: false, store },
    );
    await again;
    store.flush();
    const later = readStoredGraph(store, again.pk)?.tasks[0]?.pk ?? -1;
    expect(storedSource(store, first)).toContain("return x * y;");
    expect(storedSource(store, later)).toBe(storedSource(store, first));
    expect(store.node(later)?.attributes).not.toContain("return x * y;");
    store.close();
  });
});
