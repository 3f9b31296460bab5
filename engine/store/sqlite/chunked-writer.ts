/**
 * Writes many rows (an archive import) in chunks: each chunk is one short transaction, so the
 * write lock is never held for long and other processes' runs write between chunks. What each
 * chunk added is remembered (pk and rowid ranges), so a failure half-way can take it all out
 * again and leave the store as it was.
 */
import type Database from "better-sqlite3";
import { StoreUnavailableError } from "../store-errors.js";
import { BulkInsert, LINK_INSERT_COLUMNS, REPORT_INSERT_COLUMNS } from "./bulk-insert.js";
import { CacheCodes } from "./cache-codes.js";
import { storedUuid } from "./compact-keys.js";
import type { PkSequence } from "./pk-sequence.js";
import { isBusy } from "./busy.js";
import { LinePlaces } from "./finished-lines.js";
import { storedLabel, wireLabel } from "./link-labels.js";
import { storedLinkType } from "./link-types.js";
import { storeNodeCodes } from "./node-codes.js";
import { storedCtime } from "./uuid-times.js";
import { UuidCheck } from "./uuid-index.js";

/** Rows per chunk: about 20–60 ms of inserting, the longest this holds the lock. */
const CHUNK_ROWS = 20_000;
/** The pause after each chunk, in ms: long enough for a waiting writer to take the lock. */
const PAUSE_MS = 15;
/** How long each attempt to take the lock blocks, in ms. */
const LOCK_WAIT_MS = 1_000;

// prettier-ignore
const NODE_COLUMNS = [
  "pk", "uuid", "type", "kind", "name", "state", "exit_code", "ctime", "mtime", "started_at",
  "ended_at", "value", "attributes", "cache_key",
] as const;

/** A node row with every column, pk first (as {@link NODE_COLUMNS} lists them, without pk). */
export type NodeValues = readonly unknown[];

type Range = readonly [table: "nodes" | "links" | "reports", first: number, last: number];

/** A writer of many rows, in chunks, that can undo what it wrote. */
export class ChunkedWriter {
  readonly #nodes: BulkInsert;
  readonly #links: BulkInsert;
  readonly #reports: BulkInsert;
  readonly #places: LinePlaces;
  readonly #codes: CacheCodes;
  readonly #uuids: UuidCheck;
  readonly #written: Range[] = [];
  readonly #buffer: unknown[] = [];
  #kind: "nodes" | "links" | "reports" | undefined;
  #rows = 0;
  readonly #pause = new Int32Array(new SharedArrayBuffer(4));

  constructor(
    private readonly db: Database.Database,
    private readonly pks: PkSequence,
    private readonly file: string,
    private readonly unavailableAfterMs: number,
  ) {
    this.#nodes = new BulkInsert(db, "nodes", NODE_COLUMNS);
    this.#links = new BulkInsert(db, "links", LINK_INSERT_COLUMNS);
    this.#places = new LinePlaces(db);
    this.#codes = new CacheCodes(db);
    this.#uuids = new UuidCheck(db);
    this.#reports = new BulkInsert(db, "reports", REPORT_INSERT_COLUMNS);
  }

  /** Queues a node (its columns after pk); returns the pk it gets when its chunk is written. */
  node(values: NodeValues, assign: (pk: number) => void): void {
    this.#switch("nodes");
    this.#buffer.push(assign, ...values);
    this.#added();
  }

  /** Queues a link (a CALL link's label is kept: the called task's name is not at hand). */
  link(from: number, to: number, type: string, label: string): void {
    this.#switch("links");
    this.#buffer.push(from, to, storedLinkType(type), storedLabel(wireLabel(type, label)));
    this.#added();
  }

  /** Queues a report line (its place is taken when its chunk is written). */
  report(...values: [number, number, string, string, string, string | null]): void {
    this.#switch("reports");
    this.#buffer.push(0, ...values);
    this.#added();
  }

  /** Writes what is queued. */
  flush(): void {
    if (this.#rows === 0 || this.#kind === undefined) return;
    const kind = this.#kind;
    const rows = this.#rows;
    const buffer = this.#buffer;
    this.#transaction(() => {
      if (kind === "nodes") {
        const first = this.pks.take(rows);
        const width = NODE_COLUMNS.length;
        const values = new Array<unknown>(rows * width);
        this.#uuids.clear();
        for (let row = 0; row < rows; row++) {
          const at = row * width;
          (buffer[at] as (pk: number) => void)(first + row);
          values[at] = first + row;
          for (let c = 1; c < width; c++) values[at + c] = buffer[at + c];
          values[at + 1] = storedUuid(values[at + 1] as string);
          this.#uuids.add(first + row, values[at + 1]);
          storeNodeCodes(values, at);
          values[at + 7] = storedCtime(values[at + 7] as number, values[at + 1], values[at + 2]);
          const key = values[at + width - 1] as string | null;
          values[at + width - 1] = this.#codes.stored(key);
        }
        this.#nodes.run(values);
        this.#uuids.check();
        this.#written.push(["nodes", first, first + rows - 1]);
      } else if (kind === "reports") {
        const first = this.#places.take(rows);
        for (let row = 0; row < rows; row++) buffer[row * 7] = first + row;
        this.#reports.run(buffer);
        this.#written.push(["reports", first, first + rows - 1]);
      } else {
        const before = this.#maxRowid();
        this.#links.run(buffer);
        this.#written.push([kind, before + 1, this.#maxRowid()]);
      }
    });
    buffer.length = 0;
    this.#rows = 0;
  }

  /** Takes out every row written so far (reports, links, then nodes), chunk by chunk. */
  undo(): void {
    this.#buffer.length = 0;
    this.#rows = 0;
    const order = { reports: 0, links: 1, nodes: 2 } as const;
    const ranges = [...this.#written].sort((a, b) => order[a[0]] - order[b[0]]);
    for (const [table, first, last] of ranges) {
      const key = table === "nodes" ? "pk" : "rowid";
      this.#transaction(() => {
        this.db.prepare(`DELETE FROM ${table} WHERE ${key} BETWEEN ? AND ?`).run(first, last);
      });
    }
    this.#written.length = 0;
  }

  #switch(kind: "nodes" | "links" | "reports"): void {
    if (this.#kind !== kind) this.flush();
    this.#kind = kind;
  }

  #added(): void {
    if (++this.#rows >= CHUNK_ROWS) this.flush();
  }

  #maxRowid(): number {
    return this.db.prepare("SELECT coalesce(max(rowid), 0) FROM links").pluck().get() as number;
  }

  /** Runs `fn` in one transaction, waiting (bounded) for the lock; pauses after it. */
  #transaction(fn: () => void): void {
    const started = Date.now();
    const previous = this.db.pragma("busy_timeout", { simple: true }) as number;
    this.db.pragma(`busy_timeout = ${LOCK_WAIT_MS}`);
    try {
      for (;;) {
        try {
          // References looked up by an attempt that failed may have been rolled back with it.
          this.#codes.forget();
          this.db.transaction(fn).immediate();
          break;
        } catch (error) {
          if (!isBusy(error)) throw error;
          const waited = Date.now() - started;
          if (waited >= this.unavailableAfterMs) throw new StoreUnavailableError(this.file, waited);
        }
      }
    } finally {
      this.db.pragma(`busy_timeout = ${previous}`);
    }
    // Blocks this thread briefly, off the lock, so that a writer waiting for it gets it.
    Atomics.wait(this.#pause, 0, 0, PAUSE_MS);
  }
}
