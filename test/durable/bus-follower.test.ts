/**
 * What a follower of a run on another machine does when the bus lost events: it compares what
 * it passed on with the stored run and passes on the difference, so a view folded from its
 * events ends on the stored graph.
 */
import { describe, expect, it } from "vitest";
import { catchUp } from "../../engine/durable/stored-catch-up.js";
import { run, task } from "../../engine/index.js";
import type { EngineEvent } from "../../engine/model/events.js";
import { GraphModel } from "../../engine/model/graph-model.js";
import { memoryReader } from "../../engine/store/memory-reader.js";
import { MemoryStore } from "../../engine/store/memory-store.js";
import { storedRunGraph } from "../../engine/store/queries/stored-run-graph.js";

const add = task(function add(x: number, y: number) {
  return x + y;
});
const multiply = task(function multiply(x: number, y: number) {
  return x * y;
});

async function addMultiply(x: number, y: number) {
  const a = add(x, y);
  const b = multiply(a.result, -1);
  const c = add(b.result, 100);
  return { sum: a.result, last: c.result };
}

describe("a bus follower catching up from the store", () => {
  it.each([0, 2, 5])(
    "a follower that heard the first %i events ends on the stored graph",
    async (heard) => {
      const store = new MemoryStore();
      const reader = memoryReader(store);
      const events: EngineEvent[] = [];
      const handle = run(addMultiply, { x: 3, y: 4 }, { store, log: false });
      handle.events$.subscribe((event) => events.push(event));
      await handle;
      expect(events.length).toBeGreaterThan(heard);
      const linked = { pk: handle.pk, uuid: handle.uuid, name: "addMultiply" };
      const model = new GraphModel({ ...linked, state: "CREATED", tasks: [], edges: [] });
      for (const event of events.slice(0, heard)) model.apply(event);
      const passed: EngineEvent[] = [];
      catchUp(reader, linked, model, (event) => {
        model.apply(event);
        passed.push(event);
      });
      const stored = storedRunGraph(reader, handle.pk)!;
      const folded = model.graph();
      const shape = (graph: typeof stored) => ({
        state: graph.state,
        tasks: graph.tasks.map((t) => [t.id, t.pk, t.name, t.state, t.value]),
        edges: graph.edges.map((e) => [e.from, e.to]).sort(),
      });
      expect(shape(folded)).toEqual(shape(stored));
      expect(shape(folded)).toMatchObject({
        state: "FINISHED",
        tasks: [
          [0, expect.any(Number), "add", "FINISHED", 7],
          [1, expect.any(Number), "multiply", "FINISHED", -7],
          [2, expect.any(Number), "add1", "FINISHED", 93],
        ],
      });
      // the run's end is passed on, as a run.state event of the run
      expect(passed.at(-1)).toMatchObject({
        type: "run.state",
        state: "FINISHED",
        run: handle.uuid,
      });
      // caught up: a second look passes nothing on
      const again: EngineEvent[] = [];
      catchUp(reader, linked, model, (event) => again.push(event));
      expect(again).toEqual([]);
    },
  );
});
