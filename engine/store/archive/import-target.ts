/** What an archive import asks of a store: SQLite and PostgreSQL stores both answer it. */
import type { NodeRow } from "../reader.js";
import type { LinkRecord } from "../store.js";

/** Writes many rows in chunks, and can take out everything it wrote. */
export interface ChunkWriter {
  /** Queues a node (its columns after pk); `assign` hears the pk it gets. */
  node(values: readonly unknown[], assign: (pk: number) => void): void;
  /** Queues a link. */
  link(from: number, to: number, type: string, label: string): void;
  /** Queues a report line. */
  report(...values: [number, number, string, string, string, string | null]): void;
  /** Writes what is queued. */
  flush(): void;
  /** Takes out every row written so far. */
  undo(): void;
}

/** A store an archive can be imported into. */
export interface ImportTarget {
  /** The pk and type of the node with this uuid, if stored. */
  nodeOfUuid(uuid: string): { readonly pk: number; readonly type: NodeRow["type"] } | undefined;
  /** Runs `fn` with one view of the store (cheaper reads where the store has snapshots). */
  readSnapshot<T>(fn: () => T): T;
  /** A writer of many rows in chunks. */
  chunkedWriter(): ChunkWriter;
  /** Whether this very link is stored. */
  hasLink(link: LinkRecord): boolean;
  /** How many times each report line of a run is stored, by `reportKey`. */
  reportCounts(runPk: number): Map<string, number>;
}
