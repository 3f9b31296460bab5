/**
 * What the store's thread and its PostgreSQL thread say to each other. Requests go in order
 * over one port and are served in that order, so a read sees every write posted before it.
 */
import type { LinkRecord } from "../store.js";
import type { LinkFilter, RunFilter } from "../reader.js";

/** A node row to insert, with every column. */
export interface NodeInsertRow {
  readonly pk: number;
  readonly uuid: string;
  readonly type: "data" | "task" | "run";
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
  readonly cacheKey: string | null;
}

/** A report line to insert (`text` NULL when it is the standard format). */
export interface ReportInsertRow {
  readonly runPk: number;
  readonly at: number;
  readonly level: string;
  readonly step: string;
  readonly message: string;
  readonly text: string | null;
}

/** A change to a stored task or run row; `patch` is canonical JSON merged into attributes. */
export interface RowUpdate {
  readonly pk: number;
  readonly mtime: number;
  readonly state: string | null;
  readonly exitCode: number | null;
  readonly startedAt: number | null;
  readonly endedAt: number | null;
  readonly patch: string | null;
  /** Whether the patch sets the cache key (to `cacheKey`, maybe null). */
  readonly setsCacheKey: boolean;
  readonly cacheKey: string | null;
}

/** One group of writes, applied in one transaction, at most once. */
export interface WriteBatch {
  readonly seq: number;
  readonly nodes: readonly NodeInsertRow[];
  readonly links: readonly LinkRecord[];
  readonly reports: readonly ReportInsertRow[];
  readonly updates: readonly RowUpdate[];
}

/** The reads the store's thread may ask for, by name, with their arguments. */
export interface ReadQueries {
  node: [key: number | string];
  links: [filter: LinkFilter];
  reports: [runPk: number];
  runs: [filter: RunFilter];
  tasks: [runPk: number];
  taskCount: [runPk: number];
  findFinishedTask: [cacheKey: string];
  allNodes: [];
  allLinks: [];
  counts: [];
  nodeTypes: [pks: readonly number[]];
  hasLink: [link: LinkRecord];
  hasReport: [runPk: number, at: number, step: string, message: string];
}

/** Rows an import wrote, to take out again. */
export interface UndoRows {
  readonly nodes: readonly number[];
  readonly links: readonly LinkRecord[];
  readonly reports: readonly ReportInsertRow[];
}

/** What opening asks for. */
export interface OpenRequest {
  readonly connectionString: string;
  readonly schema: string;
  readonly shown: string;
  /** Who writes: batches are de-duplicated per writer. */
  readonly writer: string;
  /** This host, to find runs whose process died. */
  readonly host: string;
}

/** What opening answers. */
export interface OpenResult {
  readonly killedOnOpen: readonly number[];
}

/** A request from the store's thread. */
export type Request =
  | { readonly op: "open"; readonly id: number; readonly open: OpenRequest }
  | { readonly op: "write"; readonly batch: WriteBatch }
  | { readonly op: "pks"; readonly id: number; readonly count: number }
  | {
      readonly op: "read";
      readonly id: number;
      readonly query: keyof ReadQueries;
      readonly args: readonly unknown[];
    }
  | { readonly op: "undo"; readonly id: number; readonly rows: UndoRows }
  | { readonly op: "close"; readonly id: number };

/** An error as it crosses threads. */
export interface WireError {
  readonly name: string;
  readonly message: string;
  /** Whether it came from losing the server (worth retrying), not from the request. */
  readonly connection: boolean;
}

/** A message from the PostgreSQL thread. */
export type Reply =
  | { readonly kind: "result"; readonly id: number; readonly value: unknown }
  | { readonly kind: "failed"; readonly id: number; readonly error: WireError }
  | { readonly kind: "written"; readonly seq: number }
  | { readonly kind: "write-failed"; readonly seq: number; readonly error: WireError }
  /** The server cannot be reached since `since` (ms); writes wait and are retried. */
  | { readonly kind: "down"; readonly since: number; readonly error: WireError }
  | { readonly kind: "up" };
