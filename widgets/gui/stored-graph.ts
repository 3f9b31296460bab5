/**
 * A run's graph read back from a store, to draw: tasks in call order (a task's id is its
 * place in that order) with their inputs and values parsed from their JSON, and the edges the
 * engine reads for a stored run (`storedEdges`).
 */
import type { RunState, TaskKind, TaskState } from "../../engine/index.js";
import { storedEdges, type NodeRow, type ProvenanceReader } from "../../engine/plumbing.js";
import type { DrawableGraph, DrawableTask } from "../graph/drawable-graph.js";

/** What this module reads runs from: the engine's store reader. */
export type StoreReader = ProvenanceReader;

/** The graph of run `pk` as stored; undefined when there is no such node. */
export function readStoredGraph(reader: StoreReader, pk: number): DrawableGraph | undefined {
  const run = reader.node(pk);
  if (run === undefined) return undefined;
  const rows = reader.tasks(pk);
  const nodeValue = (nodePk: number): unknown => parseJson(reader.node(nodePk)?.value ?? null);
  const { edges, dataInputs } = storedEdges(reader, rows);
  const tasks = rows.map((row, i): DrawableTask => {
    const inputs: Record<string, unknown> = {};
    for (const input of dataInputs[i] ?? []) inputs[input.label] = nodeValue(input.from);
    return storedTask(reader, row, i, inputs, nodeValue);
  });
  const state = (run.state ?? "CREATED") as RunState;
  return { name: run.name ?? `run ${pk}`, pk, state, tasks, edges };
}

function storedTask(
  reader: StoreReader,
  row: NodeRow,
  id: number,
  inputs: Record<string, unknown>,
  nodeValue: (pk: number) => unknown,
): DrawableTask {
  const attributes = (parseJson(row.attributes) ?? {}) as {
    readonly error?: { readonly name: string; readonly message: string; readonly stack?: string };
    readonly attempt?: number;
  };
  const state = (row.state ?? "PLANNED") as TaskState;
  const outputs = state === "FINISHED" ? reader.links({ from: row.pk, type: "CREATE" }) : [];
  const value =
    outputs.length === 1 && outputs[0]?.label === "result"
      ? nodeValue(outputs[0].to)
      : Object.fromEntries(outputs.map((link) => [link.label, nodeValue(link.to)]));
  return {
    id,
    pk: row.pk,
    name: row.name ?? `task ${row.pk}`,
    kind: (row.kind ?? "in-process") as TaskKind,
    state,
    createdAt: row.ctime,
    startedAt: row.startedAt ?? undefined,
    endedAt: row.endedAt ?? undefined,
    attempt: attributes.attempt ?? 1,
    value,
    error: attributes.error,
    inputs,
  };
}

/** A stored JSON text as a value; text that is not JSON stays text. */
export function parseJson(text: string | null): unknown {
  if (text === null) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/** The source of the function task `pk` called, stored once per distinct source. */
export function storedSource(reader: StoreReader, pk: number): string | null {
  const attributes = parseJson(reader.node(pk)?.attributes ?? null) as
    { source?: unknown; sourceIn?: unknown } | undefined;
  if (typeof attributes?.source === "string") return attributes.source;
  if (typeof attributes?.sourceIn !== "string") return null;
  const holder = parseJson(reader.node(attributes.sourceIn)?.attributes ?? null) as
    { source?: unknown } | undefined;
  return typeof holder?.source === "string" ? holder.source : null;
}
