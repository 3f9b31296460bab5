/**
 * Reads a {@link MemoryStore} as the SQLite store is read, so queries (`orm.load`, process
 * views, archive export) work on runs kept in memory too. Scans: fine at the sizes memory holds.
 */
import type { ReportLine } from "../model/events.js";
import { canonicalJson } from "./canonical-json.js";
import type { MemoryStore, StoredNode } from "./memory-store.js";
import type { LinkFilter, NodeRow, ProvenanceReader, RunFilter, StoreCounts } from "./reader.js";
import type { LinkRecord } from "./store.js";

/** A reader over a memory store. */
export function memoryReader(store: MemoryStore): ProvenanceReader {
  const rows = (): NodeRow[] => store.nodes().map(toRow);
  const links = (filter: LinkFilter): LinkRecord[] =>
    store.links(filter).filter((l) => filter.type === undefined || l.type === filter.type);
  const tasks = (runPk: number): NodeRow[] =>
    links({ from: runPk, type: "CALL" })
      .map((l) => store.node(l.to))
      .filter((n): n is StoredNode => n !== undefined)
      .map(toRow);
  return {
    node(key: number | string): NodeRow | undefined {
      const node =
        typeof key === "number" ? store.node(key) : store.nodes().find((n) => n.uuid === key);
      return node === undefined ? undefined : toRow(node);
    },
    links,
    reports: (runPk: number): ReportLine[] => [...store.reports(runPk)],
    runs: (filter: RunFilter): NodeRow[] => {
      const found = rows()
        .filter((r) => r.type === "run" && matches(r, filter))
        .sort((a, b) => b.ctime - a.ctime || b.pk - a.pk);
      return filter.limit !== undefined ? found.slice(0, filter.limit) : found;
    },
    tasks,
    taskCount: (runPk: number): number => links({ from: runPk, type: "CALL" }).length,
    findFinishedTask: (cacheKey: string): NodeRow | undefined =>
      rows()
        .reverse()
        .find((r) => r.type === "task" && r.state === "FINISHED" && r.cacheKey === cacheKey),
    allNodes: rows,
    allLinks: () => store.links(),
    counts(): StoreCounts {
      const nodes = store.nodes();
      const reports = nodes.reduce((sum, n) => sum + store.reports(n.pk).length, 0);
      return { nodes: nodes.length, links: store.links().length, reports };
    },
  };
}

function matches(row: NodeRow, filter: RunFilter): boolean {
  return (
    (filter.states === undefined ||
      filter.states.length === 0 ||
      filter.states.some((s) => s === row.state)) &&
    (filter.name === undefined || row.name === filter.name) &&
    (filter.since === undefined || row.ctime >= filter.since) &&
    (filter.until === undefined || row.ctime < filter.until)
  );
}

function toRow(node: StoredNode): NodeRow {
  const common = { pk: node.pk, uuid: node.uuid, ctime: node.ctime };
  if (node.type === "data") {
    return {
      ...common,
      type: "data",
      kind: node.kind,
      name: null,
      state: null,
      exitCode: null,
      mtime: node.ctime,
      startedAt: null,
      endedAt: null,
      value: canonicalJson(node.value),
      attributes: null,
      cacheKey: null,
    };
  }
  const attributes: Record<string, unknown> = {
    ...node.attributes,
    ...(node.error !== undefined ? { error: node.error } : {}),
  };
  const cacheKey = attributes.cacheKey;
  return {
    ...common,
    type: node.type,
    kind: node.type === "task" ? node.kind : null,
    name: node.name,
    state: node.state ?? null,
    exitCode: node.exitCode ?? null,
    mtime: node.endedAt ?? node.startedAt ?? node.ctime,
    startedAt: node.startedAt ?? null,
    endedAt: node.endedAt ?? null,
    value: null,
    attributes: canonicalJson(attributes),
    cacheKey: typeof cacheKey === "string" ? cacheKey : null,
  };
}
