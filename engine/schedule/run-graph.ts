/** A read-only snapshot of a run's graph, for views that draw it. */
import { serialiseError } from "../model/error-serialisation.js";
import type { GraphEdge, GraphTask, RunGraph, TaskDetails } from "../model/run-graph.js";
import type { RunController } from "./run-controller.js";

/** Takes a snapshot of a run's graph. */
export function runGraph(run: RunController, only?: number): RunGraph {
  const edges: GraphEdge[] = [];
  const chosen = only === undefined ? run.tasks : run.tasks.slice(only, only + 1);
  const tasks = chosen.map((task): GraphTask => {
    for (const source of task.sources) {
      if (source.from === "task") {
        const socket = source.socket + (source.part ?? "");
        edges.push({ from: source.task, to: task.id, socket, input: source.path });
      }
    }
    return {
      id: task.id,
      pk: task.pk,
      name: task.name,
      group: task.definition.name,
      kind: task.definition.kind,
      state: task.state,
      createdAt: task.createdAt,
      startedAt: task.startedAt,
      endedAt: task.endedAt,
      attempt: task.attempt,
      ...(task.pid !== undefined ? { pid: task.pid } : {}),
      value: task.state === "FINISHED" ? task.value : undefined,
      error:
        task.error !== undefined || task.state === "FAILED"
          ? serialiseError(task.error)
          : undefined,
    };
  });
  return { name: run.name, pk: run.pk, state: run.state, tasks, edges };
}

/** One task of a run with its inputs, outputs and source; undefined when there is no such task. */
export function taskDetails(run: RunController, id: number): TaskDetails | undefined {
  const task = run.tasks[id];
  if (task === undefined) return undefined;
  const definition = task.definition;
  const inputs: Record<string, unknown> = {};
  (task.resolvedArgs ?? task.args).forEach((arg, i) => {
    inputs[definition.parameters.names[i] ?? `arg${i}`] = arg;
  });
  const inputSources: Record<string, { task: number; socket: string }> = {};
  for (const source of task.sources) {
    if (source.from === "task")
      inputSources[source.path] = {
        task: source.task,
        socket: source.socket + (source.part ?? ""),
      };
  }
  const outputs: Record<string, unknown> = {};
  if (task.state === "FINISHED") {
    for (const [socket, node] of task.outputNodes()) outputs[socket] = node.value;
  }
  const snapshot = runGraph(run, id).tasks[0] as GraphTask;
  return {
    ...snapshot,
    inputs,
    inputSources,
    outputs,
    source: definition.source ?? String(definition.fn),
  };
}
