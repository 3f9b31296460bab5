/** A run's graph at one moment: what views draw, taken from a run or folded from its events. */
import type { SerialisedError } from "./error-serialisation.js";
import type { TaskKind } from "./events.js";
import type { RunState, TaskState } from "./states.js";

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
  /** The worker process running it, while a job runs. */
  readonly pid?: number;
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

/** One task with what a task panel shows: its inputs, outputs and source. */
export interface TaskDetails extends GraphTask {
  /** Argument values by parameter name (resolved once the task started). */
  readonly inputs: Readonly<Record<string, unknown>>;
  /** Where inputs come from: the producing task and socket, by input path. */
  readonly inputSources: Readonly<
    Record<string, { readonly task: number; readonly socket: string }>
  >;
  /** Output values by socket, once FINISHED. */
  readonly outputs: Readonly<Record<string, unknown>>;
  /** The task function's source. */
  readonly source: string;
}

/** `add_multiply (pk 3): FINISHED, 2 tasks, 2 FINISHED` */
export function summaryLine(graph: Pick<RunGraph, "name" | "pk" | "state" | "tasks">): string {
  const counts = new Map<string, number>();
  for (const task of graph.tasks) counts.set(task.state, (counts.get(task.state) ?? 0) + 1);
  const parts = [...counts].map(([state, n]) => `${n} ${state}`);
  const n = graph.tasks.length;
  return `${graph.name} (pk ${graph.pk}): ${graph.state}, ${n} task${n === 1 ? "" : "s"}${parts.length > 0 ? `, ${parts.join(", ")}` : ""}`;
}

/** A graph before it runs (a declarative WorkGraph): every task PLANNED, no pks, no times. */
export interface StaticGraph {
  readonly name: string;
  readonly tasks: readonly {
    readonly id: number;
    readonly name: string;
    readonly group: string;
    readonly kind: TaskKind;
    readonly state: "PLANNED";
  }[];
  readonly edges: readonly GraphEdge[];
}
