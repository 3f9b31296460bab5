/**
 * A task's details from a run going on in this process, read through the run's own API
 * (`run.task(id)`: inputs, outputs and source are only in memory, not in the graph).
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
  const task = run.task(taskId);
  if (task === undefined) return undefined;
  const names = run.tasks.map((t) => t.name);
  const inputs: Record<string, string> = {};
  for (const [path, from] of Object.entries(task.inputSources)) {
    inputs[path] = `← ${names[from.task] ?? `#${from.task}`}.${from.socket}`;
  }
  const started = task.startedAt !== undefined;
  for (const [name, value] of Object.entries(task.inputs)) {
    const fromTask = Object.keys(task.inputSources).some(
      (path) => path === name || path.startsWith(`${name}.`) || path.startsWith(`${name}[`),
    );
    if (started || !fromTask) inputs[name] = previewValue(value, 200);
  }
  const outputs: Record<string, string> = {};
  for (const [socket, value] of Object.entries(task.outputs)) {
    outputs[socket] = previewValue(value, 200);
  }
  // A run registered late was not seen from its start: its times tell the earlier states.
  const seen = history?.of(taskId) ?? [];
  return {
    id: task.id,
    pk: task.pk,
    name: task.name,
    kind: task.kind,
    state: task.state,
    attempt: task.attempt,
    inputs,
    outputs,
    error: task.error ?? null,
    history: [...historyFromTimes(task).filter((c) => c.at < (seen[0]?.at ?? Infinity)), ...seen],
    logs: linesAbout(task.name, run.reports),
    source: task.source,
  };
}
