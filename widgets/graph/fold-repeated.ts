/**
 * Large graphs drawn small: above a size, the calls of one task function fold into one node
 * ("inc ×10,000") with edges between the folded nodes. A chart of ten thousand boxes would be
 * megabytes of SVG that nobody can read; the folded one shows the flow's shape and its states.
 */
import type { TaskState } from "../../engine/index.js";
import {
  stateOf,
  type DrawableEdge,
  type DrawableGraph,
  type DrawableTask,
} from "./drawable-graph.js";

/** Graphs with more tasks than this are drawn folded. */
export const FOLD_ABOVE = 300;

// Which state a folded node shows when its calls differ: what still goes on first, then trouble.
const PRECEDENCE: readonly TaskState[] = [
  "RUNNING",
  "PLANNED",
  "FAILED",
  "KILLED",
  "SKIPPED",
  "FINISHED",
];

/** The group of a task: its function's name (`add` for `add`, `add1`, `add2`…). */
export function groupOf(task: DrawableTask): string {
  return task.group ?? task.name.replace(/\d+$/, "");
}

/** The graph with each task function's calls folded into one node. */
export function foldRepeated(graph: DrawableGraph): DrawableGraph {
  const ids = new Map<string, number>();
  const members: DrawableTask[][] = [];
  const groupIds = new Map<number, number>();
  for (const task of graph.tasks) {
    const group = groupOf(task);
    let id = ids.get(group);
    if (id === undefined) {
      id = members.length;
      ids.set(group, id);
      members.push([]);
    }
    members[id]?.push(task);
    groupIds.set(task.id, id);
  }
  const tasks = [...ids].map(([group, id]) => folded(group, id, members[id] ?? []));
  const seen = new Set<string>();
  const edges: DrawableEdge[] = [];
  for (const edge of graph.edges) {
    const from = groupIds.get(edge.from);
    const to = groupIds.get(edge.to);
    if (from === undefined || to === undefined || from === to || seen.has(`${from}>${to}`))
      continue;
    seen.add(`${from}>${to}`);
    edges.push({ from, to });
  }
  return { ...graph, tasks, edges };
}

function folded(group: string, id: number, calls: readonly DrawableTask[]): DrawableTask {
  const states = new Set(calls.map(stateOf));
  const state = PRECEDENCE.find((s) => states.has(s)) ?? "PLANNED";
  const times = (pick: (t: DrawableTask) => number | undefined) =>
    calls.map(pick).filter((t): t is number => t !== undefined);
  const created = times((t) => t.createdAt);
  const started = times((t) => t.startedAt);
  const ended = times((t) => t.endedAt);
  const error = calls.find((t) => t.error !== undefined)?.error;
  return {
    id,
    group,
    name:
      calls.length === 1
        ? (calls[0]?.name ?? group)
        : `${group} ×${calls.length.toLocaleString("en")}`,
    state,
    ...(created.length > 0 ? { createdAt: Math.min(...created) } : {}),
    ...(started.length > 0 ? { startedAt: Math.min(...started) } : {}),
    ...(ended.length === calls.length && ended.length > 0 ? { endedAt: Math.max(...ended) } : {}),
    ...(error !== undefined ? { error } : {}),
  };
}
