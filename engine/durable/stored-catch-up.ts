/**
 * Catching a follower up from the store: whatever a link lost (a follower that joined after
 * the run ended, a gap on the bus, a daemon gone mid-run), the store has. The follower keeps
 * a model of what it passed on; the difference from the stored run is passed on as events
 * (tasks it never heard of, states it missed, the run's end).
 */
import type { EngineEvent, InputSource } from "../model/events.js";
import type { GraphModel } from "../model/graph-model.js";
import type { RunGraph } from "../model/run-graph.js";
import { storedRunGraph } from "../store/queries/stored-run-graph.js";
import type { ProvenanceReader } from "../store/reader.js";
import { parseCanonicalJson } from "../store/canonical-json.js";
import type { LinkedRun } from "./run-link.js";

/** Passes on, as events, what the stored run has that `model` (what was passed on) lacks. */
export function catchUp(
  store: ProvenanceReader,
  run: LinkedRun,
  model: GraphModel,
  pass: (event: EngineEvent) => void,
): void {
  const stored = storedRunGraph(store, run.pk);
  if (stored === undefined) return;
  const known = model.graph();
  const now = Date.now();
  for (const task of stored.tasks) {
    const seen = known.tasks[task.id];
    if (seen === undefined) {
      pass({
        type: "task.created",
        run: run.uuid,
        at: task.createdAt,
        task: {
          id: task.id,
          pk: task.pk,
          name: task.name,
          group: task.group,
          kind: task.kind,
          sources: sourcesOf(stored, task.id),
        },
      });
    }
    const previous = seen?.state ?? "PLANNED";
    if (previous === task.state) continue;
    pass({
      type: "task.state",
      run: run.uuid,
      at: task.endedAt ?? task.startedAt ?? now,
      taskId: task.id,
      name: task.name,
      state: task.state,
      previous,
      attempt: task.attempt,
      ...(task.error !== undefined ? { error: task.error } : {}),
      ...(task.state === "FINISHED" ? { value: task.value } : {}),
    });
  }
  if (known.state !== stored.state) {
    const row = store.node(run.pk);
    const attributes = row?.attributes != null ? parseCanonicalJson(row.attributes) : undefined;
    const error = (attributes as { error?: EngineEventError } | undefined)?.error;
    pass({
      type: "run.state",
      run: run.uuid,
      at: row?.endedAt ?? now,
      runPk: run.pk,
      name: run.name,
      state: stored.state,
      previous: known.state,
      ...(row?.exitCode != null ? { exitCode: row.exitCode } : {}),
      ...(error !== undefined ? { error } : {}),
    });
  }
}

type EngineEventError = NonNullable<Extract<EngineEvent, { type: "run.state" }>["error"]>;

function sourcesOf(graph: RunGraph, id: number): InputSource[] {
  return graph.edges
    .filter((edge) => edge.to === id)
    .map((edge) => ({ from: "task", task: edge.from, socket: edge.socket, path: edge.input }));
}
