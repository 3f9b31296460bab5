import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  MemoryStore,
  TASK_STATES,
  isTerminalTask,
  run,
  task,
  type EngineEvent,
  type TaskState,
} from "../../engine/index.js";
import { canMoveTask } from "../../engine/model/states.js";
import { TaskRun } from "../../engine/schedule/task-run.js";
import { task as makeTask } from "../../engine/author/task.js";

const definition = makeTask(function noop() {
  return 0;
}).definition;

describe("the task state machine", () => {
  it("never leaves a task in two states, nor changes a terminal state", () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...TASK_STATES), { maxLength: 20 }), (moves) => {
        const t = new TaskRun(0, 0, 1, definition, [], [], false, 0);
        const seen: TaskState[] = [t.state];
        for (const to of moves) {
          const before = t.state;
          if (canMoveTask(before, to)) {
            t.moveTo(to, 0);
            seen.push(to);
          } else {
            expect(() => t.moveTo(to, 0)).toThrow(/no move/);
            expect(t.state).toBe(before);
          }
        }
        const firstTerminal = seen.findIndex(isTerminalTask);
        if (firstTerminal >= 0) expect(seen.length).toBe(firstTerminal + 1);
        expect(seen.filter((s) => s === "RUNNING").length).toBeLessThanOrEqual(1);
      }),
    );
  });

  it("holds in real runs of random graphs with failures and cancels", async () => {
    const step = task(async function step(fail: boolean, delay: number, _inputs: unknown[]) {
      if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
      if (fail) throw new Error("planned failure");
      return 1;
    });
    const graph = fc.array(
      fc.record({
        parents: fc.array(fc.nat(), { maxLength: 3 }),
        fail: fc.boolean(),
        delay: fc.constantFrom(0, 0, 1, 3),
      }),
      { minLength: 1, maxLength: 12 },
    );
    await fc.assert(
      fc.asyncProperty(
        graph,
        fc.option(fc.integer({ min: 0, max: 6 })),
        async (nodes, cancelAfter) => {
          const r = run(
            async function randomGraph() {
              const handles: ReturnType<typeof step>[] = [];
              nodes.forEach((node, i) => {
                const parents = i === 0 ? [] : node.parents.map((p) => handles[p % i]!.result);
                handles.push(step(node.fail, node.delay, parents));
              });
            },
            {},
            { log: false, store: new MemoryStore() },
          );
          const events: EngineEvent[] = [];
          r.events$.subscribe((e) => events.push(e));
          if (cancelAfter !== null) setTimeout(() => r.cancel("property test"), cancelAfter);
          await r.done;
          const tasks = r.graph().tasks;
          expect(tasks).toHaveLength(nodes.length);
          for (const t of tasks) {
            expect(isTerminalTask(t.state)).toBe(true);
            const path = events.flatMap((e) =>
              e.type === "task.state" && e.taskId === t.id ? [e] : [],
            );
            let state: TaskState = "PLANNED";
            for (const e of path) {
              expect(e.previous).toBe(state);
              expect(canMoveTask(state, e.state)).toBe(true);
              state = e.state;
            }
            expect(state).toBe(t.state);
          }
          const edges = r.graph().edges;
          for (const t of tasks) {
            const inputs = edges.filter((e) => e.to === t.id).map((e) => tasks[e.from]!);
            if (t.state === "FINISHED")
              expect(inputs.every((i) => i.state === "FINISHED")).toBe(true);
            if (t.state === "SKIPPED")
              expect(inputs.some((i) => i.state === "FAILED" || i.state === "SKIPPED")).toBe(true);
            if (cancelAfter === null && inputs.every((i) => i.state === "FINISHED")) {
              expect(t.state).toBe(nodes[t.id]!.fail ? "FAILED" : "FINISHED");
            }
          }
          if (cancelAfter === null) expect(r.state).toBe("FINISHED");
          else expect(["FINISHED", "KILLED"]).toContain(r.state);
        },
      ),
      { numRuns: 60 },
    );
  });
});
