/**
 * A group of queued rows as they leave the store's memory (pending-writes.ts), and how they go
 * into the file. A batch holds plain values and one byte array, so it can be posted to the
 * writer thread as it is: the nodes' uuids are packed once, into that array of their own
 * (transferred to the thread, not copied), and a row holds its uuid's place there (no Buffer
 * per row: a Buffer is a slice of a shared pool, which a copy to another thread would carry
 * whole). The places of report lines and the references of shared attributes are settled where
 * the batch is written, inside the write transaction.
 */
import type Database from "better-sqlite3";
import {
  BulkInsert,
  LINK_INSERT_COLUMNS,
  REPORT_INSERT_COLUMNS,
  type RefusedRow,
} from "./bulk-insert.js";
import { CacheCodes } from "./cache-codes.js";
import { UUID_BYTES } from "./compact-keys.js";
import { LinePlaces, storedLinePlace } from "./finished-lines.js";
import { storedLabel } from "./link-labels.js";
import { storeNodeNames, storedKind, storedType } from "./node-codes.js";
import { SharedAttributes } from "./shared-attributes.js";
import { attributesValue } from "./source-runs.js";
import { StoredUpdates, type WireChange } from "./stored-updates.js";
import { UuidCheck } from "./uuid-index.js";
import { storedCtime } from "./uuid-times.js";

/** Values per data row in {@link WriteBatch.data}. */
export const DATA_WIDTH = 7;
/** Values per task or run row in {@link WriteBatch.processes}. */
export const PROCESS_WIDTH = 14;
/** Values per link in {@link WriteBatch.links}. */
export const LINK_WIDTH = 4;
/** Values per report line in {@link WriteBatch.reports}. */
export const REPORT_WIDTH = 7;

/**
 * Queued rows, each table's values one row after another, in the order they were written. The
 * writer turns them into stored values in place (the batch is its own from then on).
 */
export interface WriteBatch {
  /** How many report lines the batch places: its lines' places count from 0 to this. */
  readonly lines: number;
  /**
   * The packed uuids of the batch's nodes, 16 bytes each; a row's uuid is its place here (a
   * number), or its text where it is not a lowercase uuid (stored as it is).
   */
  readonly uuids: Uint8Array;
  /**
   * pk, uuid, type, kind, ctime, mtime, value; type and kind (and a task's or run's state) as
   * node-codes.ts's `wireType` and `wireKind` give them, `mtime` as stored (ms after `ctime`, node-codes.ts),
   * as are the times of {@link processes}: a small integer crosses to the thread in a few bytes
   * and is read back as no object of its own, where an epoch time is a double on each side.
   */
  readonly data: readonly unknown[];
  /**
   * pk, uuid, type, kind, name, state, exit code, ctime, mtime, started at, ended at (the last
   * three as stored: ms after the end or `ctime`),
   * attributes (text, or the index of a shared text in {@link shared}), cache key, finished
   * line's place.
   */
  readonly processes: readonly unknown[];
  /** Attribute texts many rows share (stored once, each row holding its reference). */
  readonly shared: readonly string[];
  /** Changes to rows written by earlier batches. */
  readonly updates: readonly (readonly [number, WireChange])[];
  /** from, to, type (stored letter), label (as link-labels.ts's `wireLabel` gives it). */
  readonly links: readonly unknown[];
  /** Place, run pk, at, level, step, message, text. */
  readonly reports: readonly unknown[];
}

/** Whether a batch holds nothing. */
export function isEmptyBatch(batch: WriteBatch): boolean {
  return (
    batch.data.length === 0 &&
    batch.shared.length === 0 &&
    batch.processes.length === 0 &&
    batch.updates.length === 0 &&
    batch.links.length === 0 &&
    batch.reports.length === 0
  );
}

/** A batch of nothing: posted, it makes the thread try the batches it holds again. */
export function emptyBatch(): WriteBatch {
  return {
    lines: 0,
    uuids: new Uint8Array(0),
    data: [],
    processes: [],
    shared: [],
    updates: [],
    links: [],
    reports: [],
  };
}

/** How many rows a batch holds. */
export function rowsOf(batch: WriteBatch): number {
  return (
    batch.data.length / DATA_WIDTH +
    batch.processes.length / PROCESS_WIDTH +
    batch.updates.length +
    batch.links.length / LINK_WIDTH +
    batch.reports.length / REPORT_WIDTH
  );
}

// prettier-ignore
const PROCESS_COLUMNS = [
  "pk", "uuid", "type", "kind", "name", "state", "exit_code", "ctime", "mtime", "started_at",
  "ended_at", "attributes", "cache_key", "finished_line",
] as const;

/** Data rows bind only what they have: each bound value costs as much as a column written. */
const DATA_COLUMNS = ["pk", "uuid", "type", "kind", "ctime", "mtime", "value"] as const;

/** A row's uuid as stored: its bytes in `packed` (a view, not a copy), or its text. */
function storedUuidOf(packed: Uint8Array, uuid: unknown): unknown {
  if (typeof uuid !== "number") return uuid;
  return Buffer.from(packed.buffer, packed.byteOffset + uuid, UUID_BYTES);
}

/** Writes batches into one connection's open transaction. */
export class BatchWriter {
  readonly #dataInsert: BulkInsert;
  readonly #processInsert: BulkInsert;
  readonly #linkInsert: BulkInsert;
  readonly #reportInsert: BulkInsert;
  readonly #places: LinePlaces;
  readonly #shared: SharedAttributes;
  readonly #codes: CacheCodes;
  readonly #updates: StoredUpdates;
  readonly #uuids: UuidCheck;

  /**
   * `refused`: what a row SQLite refuses undoes ({@link RefusedRow}); `ROLLBACK` where the
   * caller rolls back the whole transaction on any failure anyway.
   */
  constructor(db: Database.Database, refused: RefusedRow = "ABORT") {
    this.#dataInsert = new BulkInsert(db, "nodes", DATA_COLUMNS, refused);
    this.#processInsert = new BulkInsert(db, "nodes", PROCESS_COLUMNS, refused);
    this.#linkInsert = new BulkInsert(db, "links", LINK_INSERT_COLUMNS, refused);
    this.#places = new LinePlaces(db);
    this.#shared = new SharedAttributes(db);
    this.#codes = new CacheCodes(db);
    this.#updates = new StoredUpdates(db, this.#codes);
    this.#uuids = new UuidCheck(db);
    this.#reportInsert = new BulkInsert(db, "reports", REPORT_INSERT_COLUMNS, refused);
  }

  /** Writes a batch (inside the open transaction), turning its values into stored ones. */
  write(batch: WriteBatch): void {
    // Each line's place: its order in the batch, after the places taken before.
    const first = batch.lines > 0 ? this.#places.take(batch.lines) : 0;
    const uuids = this.#uuids;
    uuids.clear();
    const packed = batch.uuids;
    const data = batch.data as unknown[];
    for (let i = 0; i < data.length; i += DATA_WIDTH) {
      data[i + 1] = storedUuidOf(packed, data[i + 1]);
      uuids.add(data[i] as number, data[i + 1]);
      data[i + 2] = storedType(data[i + 2]);
      data[i + 3] = storedKind(data[i + 3]);
      data[i + 4] = storedCtime(data[i + 4] as number, data[i + 1], data[i + 2]);
    }
    this.#dataInsert.run(data);
    // The attributes every call of a task shares are stored once.
    const refs = batch.shared.map((text) => this.#shared.ref(text));
    const rows = batch.processes as unknown[];
    for (let i = 0; i < rows.length; i += PROCESS_WIDTH) {
      rows[i + 1] = storedUuidOf(packed, rows[i + 1]);
      uuids.add(rows[i] as number, rows[i + 1]);
      storeNodeNames(rows, i);
      const ctime = rows[i + 7] as number;
      rows[i + 7] = storedCtime(ctime, rows[i + 1], rows[i + 2]);
      // A row written unfinished changes later: its changes set times after its ctime.
      if (rows[i + 10] === null) this.#updates.written(rows[i] as number, ctime);
      const attributes = rows[i + 11];
      if (typeof attributes === "number") rows[i + 11] = refs[attributes];
      else if (typeof attributes === "string") rows[i + 11] = attributesValue(attributes);
      rows[i + 12] = this.#codes.stored(rows[i + 12] as string | null);
      const line = rows[i + 13] as number | null;
      if (line !== null) rows[i + 13] = storedLinePlace(first + line, rows[i] as number);
    }
    this.#processInsert.run(rows);
    // SQLite no longer checks that uuids are unique (uuid-index.ts): the batch is checked here.
    uuids.check();
    for (const [pk, change] of batch.updates) this.#updates.apply(pk, change);
    // Links and reports after nodes, so no row names a node not yet in the file.
    const links = batch.links as unknown[];
    for (let i = 0; i < links.length; i += LINK_WIDTH) {
      links[i + 3] = storedLabel(links[i + 3]);
    }
    this.#linkInsert.run(links);
    const reports = batch.reports as unknown[];
    for (let i = 0; i < reports.length; i += REPORT_WIDTH) {
      reports[i] = first + (reports[i] as number);
    }
    this.#reportInsert.run(reports);
  }

  /** The transaction ended (committed or rolled back). */
  forget(): void {
    this.#shared.forget();
    this.#codes.forget();
  }
}
