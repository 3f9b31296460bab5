/**
 * A stored run's graph, read back as a `RunGraph`: tasks in call order (a task's id is its
 * place in that order), edges found through the data nodes (an INPUT link from a node that a
 * task's CREATE link made) or, into a task not started yet, the sources stored with its node;
 * values parsed from their JSON. The live page reads its stored runs' edges here too.
 */
import type { SerialisedError } from "../../model/error-serialisation.js";
import type { TaskKind } from "../../model/events.js";
import type { GraphEdge, GraphTask, RunGraph } from "../../model/run-graph.js";
import type { RunState, TaskState } from "../../model/states.js";
import { parseCanonicalJson } from "../canonical-json.js";
import type { NodeRow, ProvenanceReader } from "../reader.js";
import type { LinkRecord } from "../store.js";

/** A stored run's edges, and the inputs of its tasks that no task of the run made. */
export interface StoredEdges {
  readonly edges: GraphEdge[];
  /** By task id: its INPUT links from data that no task of the run created. */
  readonly dataInputs: readonly (readonly LinkRecord[])[];
}

/** The graph of run `pk` as stored; undefined when there is no such run. */
export function storedRunGraph(reader: ProvenanceReader, pk: number): RunGraph | undefined {
  const run = reader.node(pk);
  if (run === undefined || run.type !== "run") return undefined;
  const rows = reader.tasks(pk);
  const { edges } = storedEdges(reader, rows);
  const tasks = rows.map((row, i): GraphTask => storedTask(reader, row, i));
  return {
    name: run.name ?? `run ${pk}`,
    pk,
    state: (run.state ?? "CREATED") as RunState,
    tasks,
    edges,
  };
}

/** The edges between the task rows of a stored run (`rows`: in call order, a task's id). */
export function storedEdges(reader: ProvenanceReader, rows: readonly NodeRow[]): StoredEdges {
  const idOfPk = new Map(rows.map((row, i) => [row.pk, i]));
  const edges: GraphEdge[] = [];
  const dataInputs = rows.map((row, i) => {
    const data: LinkRecord[] = [];
    const links = reader.links({ to: row.pk, type: "INPUT" });
    // a task not started yet has no INPUT links: its node names the tasks it waits for
    if (links.length === 0) edges.push(...plannedEdges(row, i, idOfPk));
    for (const input of links) {
      const creator = reader.links({ to: input.from, type: "CREATE" })[0];
      const from = creator !== undefined ? idOfPk.get(creator.from) : undefined;
      if (creator !== undefined && from !== undefined) {
        edges.push({ from, to: i, socket: creator.label, input: input.label });
      } else {
        data.push(input);
      }
    }
    return data;
  });
  return { edges, dataInputs };
}

function storedTask(reader: ProvenanceReader, row: NodeRow, id: number): GraphTask {
  const attributes = (parse(row.attributes) ?? {}) as {
    readonly error?: SerialisedError;
    readonly attempt?: number;
    readonly function?: string;
  };
  const state = (row.state ?? "PLANNED") as TaskState;
  const outputs = state === "FINISHED" ? reader.links({ from: row.pk, type: "CREATE" }) : [];
  const valueOf = (nodePk: number): unknown => parse(reader.node(nodePk)?.value ?? null);
  const value =
    outputs.length === 1 && outputs[0]?.label === "result"
      ? valueOf(outputs[0].to)
      : Object.fromEntries(outputs.map((link) => [link.label, valueOf(link.to)]));
  const name = row.name ?? `task ${row.pk}`;
  return {
    id,
    pk: row.pk,
    name,
    group:
      attributes.function !== undefined && attributes.function !== "" ? attributes.function : name,
    kind: (row.kind ?? "in-process") as TaskKind,
    state,
    createdAt: row.ctime,
    startedAt: row.startedAt ?? undefined,
    endedAt: row.endedAt ?? undefined,
    attempt: attributes.attempt ?? 1,
    value: state === "FINISHED" ? value : undefined,
    error: attributes.error,
  };
}

function parse(text: string | null): unknown {
  if (text === null) return undefined;
  try {
    return parseCanonicalJson(text);
  } catch {
    return text;
  }
}

/** The edges into a task that has not started, from the sources stored with its node. */
function plannedEdges(row: NodeRow, id: number, idOfPk: ReadonlyMap<number, number>): GraphEdge[] {
  const sources = (parse(row.attributes) as { sources?: unknown } | undefined)?.sources;
  if (!Array.isArray(sources)) return [];
  const edges: GraphEdge[] = [];
  for (const source of sources as { task?: unknown; socket?: unknown; input?: unknown }[]) {
    const from = typeof source.task === "number" ? idOfPk.get(source.task) : undefined;
    if (from === undefined) continue;
    edges.push({ from, to: id, socket: String(source.socket), input: String(source.input) });
  }
  return edges;
}
