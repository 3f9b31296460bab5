/** The rows a timeline draws: one per task, its start and end in seconds since the run began. */
import type { TaskState } from "../../engine/index.js";
import { stateOf, type DrawableGraph, type DrawableTask } from "../graph/drawable-graph.js";
import { taskDuration } from "../graph/format.js";
import { previewOutcome } from "../graph/preview.js";

/** One task on the timeline. A task that never started is a point at its creation. */
export interface TimelineDatum {
  readonly id: number;
  readonly name: string;
  readonly state: TaskState;
  readonly started: boolean;
  /** Seconds since the run's first task was created. */
  readonly start: number;
  /** The end, or `now` for a task still running. */
  readonly end: number;
  readonly duration: string;
  readonly outputs: string;
}

/** The timeline rows of a graph, measured from its first task's creation. */
export function timelineData(graph: DrawableGraph, now: number): TimelineDatum[] {
  const origin = timelineOrigin(graph);
  return graph.tasks.map((task) => timelineDatum(task, origin, now));
}

/** When the timeline starts: the first task's creation (or start), in ms since the epoch. */
export function timelineOrigin(graph: DrawableGraph): number {
  let origin = Number.POSITIVE_INFINITY;
  for (const task of graph.tasks) {
    const at = task.createdAt ?? task.startedAt;
    if (at !== undefined && at < origin) origin = at;
  }
  return Number.isFinite(origin) ? origin : 0;
}

/** The row of one task. */
export function timelineDatum(task: DrawableTask, origin: number, now: number): TimelineDatum {
  const started = task.startedAt !== undefined;
  const start = task.startedAt ?? task.createdAt ?? origin;
  const end = started ? (task.endedAt ?? now) : start;
  return {
    id: task.id,
    name: task.name,
    state: stateOf(task),
    started,
    start: seconds(start - origin),
    end: seconds(Math.max(start, end) - origin),
    duration: taskDuration(task.startedAt, task.endedAt, now),
    outputs: previewOutcome(task),
  };
}

/** Milliseconds to seconds, to the millisecond. */
function seconds(ms: number): number {
  return Math.round(ms) / 1000;
}
