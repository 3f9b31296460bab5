/**
 * A task's details from a run going on in this process: its arguments, outputs and source
 * are only in memory (the graph snapshot carries neither inputs nor source).
 */
import type { Run } from "../../engine/index.js";
import { previewValue } from "../graph/preview.js";
import type { TaskDetail } from "./run-source.js";
import { historyFromTimes, type TaskHistory } from "./task-history.js";
import { linesAbout } from "./task-logs.js";

/** The panel's view of one task of a live run; undefined when the run has no such task. */
export function liveTaskDetail(
  run: Run,
  taskId: number,
  history: TaskHistory | undefined,
): TaskDetail | undefined {
  // The controller is the run's internal side; this is the one place the views reach it.
  const tasks = run.controller.tasks;
  const task = tasks[taskId];
  if (task === undefined) return undefined;
  const definition = task.definition;
  const inputs: Record<string, string> = {};
  for (const source of task.sources) {
    if (source.from === "task") {
      inputs[source.path] = `← ${tasks[source.task]?.name ?? `#${source.task}`}.${source.socket}`;
    }
  }
  const args = task.resolvedArgs ?? task.args;
  args.forEach((arg, i) => {
    const name = definition.parameters.names[i] ?? `arg${i}`;
    const fromTask = Object.keys(inputs).some(
      (path) => path === name || path.startsWith(`${name}.`) || path.startsWith(`${name}[`),
    );
    if (task.resolvedArgs !== undefined || !fromTask) inputs[name] = previewValue(arg, 200);
  });
  const outputs: Record<string, string> = {};
  if (task.state === "FINISHED") {
    for (const socket of definition.outputs ?? ["result"]) {
      outputs[socket] = previewValue(task.outputValue(socket), 200);
    }
  }
  // A run registered late was not seen from its start: its times tell the earlier states.
  const seen = history?.of(taskId) ?? [];
  return {
    id: task.id,
    pk: task.pk,
    name: task.name,
    kind: definition.kind,
    state: task.state,
    attempt: task.attempt,
    inputs,
    outputs,
    error: errorData(task.error),
    history: [...historyFromTimes(task).filter((c) => c.at < (seen[0]?.at ?? Infinity)), ...seen],
    logs: linesAbout(task.name, run.reports),
    source: definition.source ?? String(definition.fn),
  };
}

function errorData(error: unknown): TaskDetail["error"] {
  if (error === undefined) return null;
  if (error instanceof Error) {
    return {
      name: error.name,
      message: error.message,
      ...(error.stack !== undefined ? { stack: error.stack } : {}),
    };
  }
  return { name: "Error", message: previewValue(error, 200) };
}
