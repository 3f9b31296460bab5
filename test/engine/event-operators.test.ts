import { TestScheduler } from "rxjs/testing";
import { describe, expect, it } from "vitest";
import { reportLines, taskStates, type EngineEvent } from "../../engine/index.js";

const created = (id: number): EngineEvent => ({
  type: "task.created",
  run: "r",
  at: 0,
  task: { id, pk: id + 10, name: `t${id}`, group: "t", kind: "in-process", sources: [] },
});
const moved = (
  id: number,
  previous: "PLANNED" | "RUNNING",
  state: "RUNNING" | "FINISHED" | "FAILED",
): EngineEvent => ({
  type: "task.state",
  run: "r",
  at: 0,
  taskId: id,
  name: `t${id}`,
  state,
  previous,
  attempt: 1,
});
const report = (message: string): EngineEvent => ({
  type: "report",
  run: "r",
  at: 0,
  line: { at: 0, level: "REPORT", runPk: 1, step: "s", message, text: message },
});

function scheduler() {
  return new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
}

describe("event operators", () => {
  it("taskStates folds creations and moves into each task's state", () => {
    scheduler().run(({ cold, expectObservable }) => {
      const events = cold("a-b-c-r-d-|", {
        a: created(0),
        b: created(1),
        c: moved(0, "PLANNED", "RUNNING"),
        r: report("noise"),
        d: moved(0, "RUNNING", "FAILED"),
      });
      expectObservable(events.pipe(taskStates())).toBe("a-b-c---d-|", {
        a: new Map([[0, "PLANNED"]]),
        b: new Map([
          [0, "PLANNED"],
          [1, "PLANNED"],
        ]),
        c: new Map([
          [0, "RUNNING"],
          [1, "PLANNED"],
        ]),
        d: new Map([
          [0, "FAILED"],
          [1, "PLANNED"],
        ]),
      });
    });
  });

  it("reportLines passes report lines only, and completes with the run", () => {
    scheduler().run(({ cold, expectObservable }) => {
      const events = cold("a-r-s-|", { a: created(0), r: report("one"), s: report("two") });
      expectObservable(events.pipe(reportLines())).toBe("--x-y-|", {
        x: (report("one") as { line: unknown }).line,
        y: (report("two") as { line: unknown }).line,
      });
    });
  });
});
