/**
 * The read side of a provenance store: what queries, archives, resume and caching ask of it.
 * Rows are as stored (values and attributes as JSON text), so a query pays for decoding only
 * what it shows.
 */
import type { ReportLine } from "../model/events.js";
import type { RunState } from "../model/states.js";
import type { LinkRecord, LinkType } from "./store.js";

/** A node as stored: `value` is canonical JSON (data), `attributes` JSON (tasks and runs). */
export interface NodeRow {
  readonly pk: number;
  readonly uuid: string;
  readonly type: "data" | "task" | "run";
  /** The data kind (`Int`…) or the task kind (`in-process`, `job`). */
  readonly kind: string | null;
  readonly name: string | null;
  readonly state: string | null;
  readonly exitCode: number | null;
  readonly ctime: number;
  readonly mtime: number;
  readonly startedAt: number | null;
  readonly endedAt: number | null;
  readonly value: string | null;
  readonly attributes: string | null;
  /** The (code hash, input hash) key of a task, for caching. */
  readonly cacheKey: string | null;
}

/** Which links to read: any of the ends and the type may be fixed. */
export interface LinkFilter {
  readonly from?: number;
  readonly to?: number;
  readonly type?: LinkType;
}

/** Which runs to read. */
export interface RunFilter {
  readonly states?: readonly RunState[];
  readonly name?: string;
  /** Created at or after (ms since the epoch). */
  readonly since?: number;
  /** Created before (ms since the epoch). */
  readonly until?: number;
  readonly limit?: number;
}

/** How many rows the store holds. */
export interface StoreCounts {
  readonly nodes: number;
  readonly links: number;
  readonly reports: number;
}

/** What can be read back from a store. */
export interface ProvenanceReader {
  /** The node with this pk or uuid. */
  node(key: number | string): NodeRow | undefined;
  /** The links that match, in the order they were written. */
  links(filter: LinkFilter): LinkRecord[];
  /** The report lines of a run, in order. */
  reports(runPk: number): ReportLine[];
  /** Runs, newest first. */
  runs(filter: RunFilter): NodeRow[];
  /** The tasks a run called, in call order. */
  tasks(runPk: number): NodeRow[];
  /** How many tasks a run called. */
  taskCount(runPk: number): number;
  /** The newest FINISHED task with this cache key. */
  findFinishedTask(cacheKey: string): NodeRow | undefined;
  /** Every node, in pk order. */
  allNodes(): readonly NodeRow[];
  /** Every link. */
  allLinks(): readonly LinkRecord[];
  /** How many nodes, links and report lines there are. */
  counts(): StoreCounts;
}

/** Whether a store can also be read. */
export function isReader(store: object): store is ProvenanceReader {
  const candidate = store as Partial<Record<keyof ProvenanceReader, unknown>>;
  return typeof candidate.node === "function" && typeof candidate.runs === "function";
}
