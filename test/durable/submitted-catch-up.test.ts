/**
 * A submitted run's handle that follows the run only after it has ended (the daemon ran it
 * while the handle's process was slow to connect) still passes on the whole run: what its link
 * never sent comes from the store, so a display folded from `events$` ends on the final graph.
 */
import { describe, expect, it } from "vitest";
import { run, task } from "../../engine/index.js";
import type { EngineEvent } from "../../engine/model/events.js";
import { GraphModel } from "../../engine/model/graph-model.js";
import { memoryReader } from "../../engine/store/memory-reader.js";
import { MemoryStore } from "../../engine/store/memory-store.js";
import { SubmittedRun } from "../../engine/durable/submitted-run.js";
import { daemonLink } from "../../engine/durable/daemon-link.js";

const add = task(function add(x: number, y: number) {
  return x + y;
});

async function chain(n: number) {
  let acc: unknown = 0;
  for (let i = 1; i <= n; i++) acc = add(acc as number, i).result;
  return { total: acc };
}

describe("a submitted run followed after it ended", () => {
  it("passes on the stored run's tasks and end, and resolves with its results", async () => {
    const store = new MemoryStore();
    const reader = memoryReader(store);
    const finished = run(chain, { n: 4 }, { store, log: false });
    await finished;
    // no daemon of this profile answers: the run is already over, as the store says
    const handle = new SubmittedRun<{ total: number }>(
      finished.pk,
      finished.uuid,
      "chain",
      reader,
      daemonLink("no-daemon-here", reader),
    );
    const events: EngineEvent[] = [];
    handle.events$.subscribe((event) => events.push(event));
    const results = await handle;
    expect(results.total?.value).toBe(10);
    const model = new GraphModel(handle.graph());
    for (const event of events) model.apply(event);
    const graph = model.graph();
    expect(graph.state).toBe("FINISHED");
    expect(graph.tasks.map((t) => [t.name, t.state, t.value])).toEqual([
      ["add", "FINISHED", 1],
      ["add1", "FINISHED", 3],
      ["add2", "FINISHED", 6],
      ["add3", "FINISHED", 10],
    ]);
    expect(graph.edges).toHaveLength(3);
    expect(events.at(-1)).toMatchObject({ type: "run.state", state: "FINISHED" });
    expect(handle.state).toBe("FINISHED");
  });
});
