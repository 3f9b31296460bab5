/**
 * Writes many rows (an archive import) into PostgreSQL in chunks of 20,000, each its own
 * transaction, waiting for each; remembers what it wrote so a failure half-way takes it out.
 */
import type { ChunkWriter } from "../archive/import-target.js";
import { PendingNode } from "../sqlite/pending-writes.js";
import type { LinkRecord, LinkType } from "../store.js";
import { PgPending } from "./pg-pending.js";
import type { ReportInsertRow, UndoRows } from "./pg-protocol.js";

const CHUNK_ROWS = 20_000;

/** What the writer needs of its store. */
export interface ChunkSink {
  /** The next pk. */
  nextPk(): number;
  /** Writes the rows as one batch and waits until they are committed. */
  write(rows: PgPending): void;
  /** Takes the rows out again. */
  undo(rows: UndoRows): void;
}

/** A {@link ChunkWriter} over a PostgreSQL store. */
export class PgChunkedWriter implements ChunkWriter {
  #pending = new PgPending();
  #rows = 0;
  readonly #nodes: number[] = [];
  readonly #links: LinkRecord[] = [];
  readonly #reports: ReportInsertRow[] = [];

  constructor(private readonly sink: ChunkSink) {}

  node(values: readonly unknown[], assign: (pk: number) => void): void {
    const [uuid, type, kind, name, state, exitCode, ctime, mtime, startedAt, endedAt] = values;
    const [value, attributes, cacheKey] = values.slice(10);
    const pk = this.sink.nextPk();
    const row = new PendingNode(
      pk,
      uuid as string,
      type as PendingNode["type"],
      kind as string | null,
      name as string | null,
      state as string | null,
      ctime as number,
      value as string | null,
      attributes as string | null,
      cacheKey as string | null,
    );
    row.exitCode = exitCode as number | null;
    row.mtime = mtime as number;
    row.startedAt = startedAt as number | null;
    row.endedAt = endedAt as number | null;
    this.#pending.addNode(row);
    this.#nodes.push(pk);
    assign(pk);
    this.#added();
  }

  link(from: number, to: number, type: string, label: string): void {
    const link = { from, to, type: type as LinkType, label };
    this.#pending.addLink(link);
    this.#links.push(link);
    this.#added();
  }

  report(...values: [number, number, string, string, string, string | null]): void {
    const [runPk, at, level, step, message, text] = values;
    const line = { runPk, at, level, step, message, text };
    this.#pending.addReport(line);
    this.#reports.push(line);
    this.#added();
  }

  flush(): void {
    if (this.#rows === 0) return;
    const rows = this.#pending;
    this.#pending = new PgPending();
    this.#rows = 0;
    this.sink.write(rows);
  }

  undo(): void {
    this.#pending = new PgPending();
    this.#rows = 0;
    this.sink.undo({ nodes: this.#nodes, links: this.#links, reports: this.#reports });
    this.#nodes.length = 0;
    this.#links.length = 0;
    this.#reports.length = 0;
  }

  #added(): void {
    if (++this.#rows >= CHUNK_ROWS) this.flush();
  }
}
