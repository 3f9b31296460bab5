/** A read-only snapshot of a run's graph, for views that draw it. */
import type { SerialisedError } from "../model/error-serialisation.js";
import { serialiseError } from "../model/error-serialisation.js";
import type { TaskKind } from "../model/events.js";
import type { RunState, TaskState } from "../model/states.js";
import type { RunController } from "./run-controller.js";

/** One task in a graph snapshot. */
export interface GraphTask {
  readonly id: number;
  readonly pk: number;
  readonly name: string;
  /** The task function's name, shared by all its calls (`add` for `add`, `add1`…). */
  readonly group: string;
  readonly kind: TaskKind;
  readonly state: TaskState;
  readonly createdAt: number;
  readonly startedAt: number | undefined;
  readonly endedAt: number | undefined;
  readonly attempt: number;
  /** The return value, once FINISHED. */
  readonly value: unknown;
  readonly error: SerialisedError | undefined;
}

/** An edge: an output of one task feeds an input of another. */
export interface GraphEdge {
  readonly from: number;
  readonly to: number;
  readonly socket: string;
  readonly input: string;
}

/** A run's tasks and edges at one moment. */
export interface RunGraph {
  readonly name: string;
  readonly pk: number;
  readonly state: RunState;
  readonly tasks: readonly GraphTask[];
  readonly edges: readonly GraphEdge[];
}

/** Takes a snapshot of a run's graph. */
export function runGraph(run: RunController): RunGraph {
  const edges: GraphEdge[] = [];
  const tasks = run.tasks.map((task): GraphTask => {
    for (const source of task.sources) {
      if (source.from === "task") {
        edges.push({ from: source.task, to: task.id, socket: source.socket, input: source.path });
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
      value: task.state === "FINISHED" ? task.value : undefined,
      error: task.error !== undefined ? serialiseError(task.error) : undefined,
    };
  });
  return { name: run.name, pk: run.pk, state: run.state, tasks, edges };
}
