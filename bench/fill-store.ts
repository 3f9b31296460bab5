/**
 * A profile of a given size, fast: a run of N tasks, each with an input and an output value
 * (4 nodes, 4 links and 2 report lines a task, the shapes the engine writes), written straight
 * through the store. For the archive benchmark and the archive tests at scale.
 */
import type { SqliteStore } from "../engine/plumbing.js";

/** Writes a run of `tasks` tasks with their values, links and report lines. */
export function fillStore(store: SqliteStore, tasks: number): number {
  const now = Date.now();
  const run = store.addNode({
    type: "run",
    uuid: crypto.randomUUID(),
    name: "bench",
    state: "FINISHED",
    ctime: now,
    attributes: { flow: "bench" },
  });
  for (let i = 0; i < tasks; i++) {
    const input = store.addNode({
      type: "data",
      uuid: crypto.randomUUID(),
      kind: "Int",
      value: i,
      ctime: now,
    });
    const task = store.addNode({
      type: "task",
      uuid: crypto.randomUUID(),
      name: `inc${i}`,
      kind: "in-process",
      state: "FINISHED",
      ctime: now,
      attributes: { function: "inc" },
    });
    const output = store.addNode({
      type: "data",
      uuid: crypto.randomUUID(),
      kind: "Int",
      value: i + 1,
      ctime: now,
    });
    store.addLink({ from: run, to: task, type: "CALL", label: `inc${i}` });
    store.addLink({ from: input, to: task, type: "INPUT", label: "x" });
    store.addLink({ from: task, to: output, type: "CREATE", label: "result" });
    store.addLink({ from: output, to: run, type: "RETURN", label: `r${i}` });
    const line = (message: string) => ({
      at: now + i,
      level: "REPORT" as const,
      runPk: run,
      step: "update_task_state",
      message,
      text: `[REPORT] [${run}|bench|update_task_state]: ${message}`,
    });
    store.addReport(run, line(`Task: inc${i}, type: in-process, finished.`));
    store.addReport(run, line(`tasks ready to run: inc${i}`));
    if (i % 10_000 === 9_999) store.flush();
  }
  store.flush();
  return run;
}
