/**
 * Changes to task and run rows already in the file (or on their way to it). They wait here,
 * folded per row, and go in with the next commit of rows (so a turn that only changed rows
 * writes nothing to the file). They travel in a write batch with their patch as canonical JSON
 * (it may cross to the writer thread), and are applied where the batch is written.
 */
import type Database from "better-sqlite3";
import { canonicalJson, parseCanonicalJson } from "../canonical-json.js";
import type { ProcessUpdate } from "../store.js";
import { cacheKeyOf } from "./attributes-text.js";
import type { CacheCodes } from "./cache-codes.js";
import { LINE_TO_ROW_SQL } from "./finished-lines.js";
import { DATA, storedState } from "./node-codes.js";
import { attributesSql } from "./shared-attributes.js";
import { attributesValue, storedAttributesText } from "./source-runs.js";
import { ctimeSql } from "./uuid-times.js";

/** The row's `ctime` as its time (stored after its uuid's: uuid-times.ts). */
const CTIME = ctimeSql();
/** How many unfinished rows' times are kept at most (then forgotten, all at once). */
const KEPT_TIMES = 4_096;

const FIELDS = ["state", "exit_code", "started_at", "ended_at", "attributes", "cache_key"];

/** One row's change: the columns to set, and the attributes to merge into the stored ones. */
export interface RowChange {
  mtime: number;
  state?: string;
  exitCode?: number;
  startedAt?: number;
  endedAt?: number;
  patch?: Readonly<Record<string, unknown>>;
}

/** A row change as a write batch carries it: the patch as canonical JSON text. */
export type WireChange = Omit<RowChange, "patch"> & { patch?: string };

/** Row changes waiting for the next batch, folded per row. */
export class QueuedUpdates {
  readonly #queued = new Map<number, RowChange>();

  /** The change an engine update makes to a row. */
  static change(update: ProcessUpdate): RowChange {
    const patch =
      update.error !== undefined
        ? { ...update.attributes, error: update.error }
        : update.attributes;
    const change: RowChange = { mtime: Date.now() };
    if (update.state !== undefined) change.state = update.state;
    if (update.exitCode !== undefined) change.exitCode = update.exitCode;
    if (update.startedAt !== undefined) change.startedAt = update.startedAt;
    if (update.endedAt !== undefined) change.endedAt = update.endedAt;
    if (patch !== undefined) change.patch = patch;
    return change;
  }

  /** Keeps a change for later, folded into the row's earlier ones. */
  queue(pk: number, change: RowChange): void {
    const earlier = this.#queued.get(pk);
    if (earlier === undefined) {
      this.#queued.set(pk, change);
      return;
    }
    const patch =
      earlier.patch !== undefined && change.patch !== undefined
        ? { ...earlier.patch, ...change.patch }
        : (change.patch ?? earlier.patch);
    Object.assign(earlier, change);
    if (patch !== undefined) earlier.patch = patch;
  }

  /** How many rows have changes waiting. */
  get size(): number {
    return this.#queued.size;
  }

  /** The waiting changes, as a batch carries them (forgotten here). */
  take(): [number, WireChange][] {
    const taken: [number, WireChange][] = [];
    for (const [pk, change] of this.#queued) {
      const { patch, ...rest } = change;
      taken.push([pk, patch === undefined ? rest : { ...rest, patch: canonicalJson(patch) }]);
    }
    this.#queued.clear();
    return taken;
  }

  /** Forgets the waiting changes (their transaction rolled back). */
  clear(): void {
    this.#queued.clear();
  }
}

/** Applies row changes to the file (inside the open transaction). */
export class StoredUpdates {
  readonly #statements: (Database.Statement | undefined)[] = [];
  readonly #attributes: Database.Statement<[number], string | null>;
  readonly #lineToRow: Database.Statement<[number]>;
  /**
   * The `ctime` of rows written unfinished (a chain's task, a run) by pk: their changes to come
   * set times as ms after it, which SQL would find from the uuid's time (uuid-times.ts, ~0.3 µs
   * each time a statement reads it). A pk names one row for good: pks are never handed out
   * twice, not even those of a batch rolled back.
   */
  readonly #times = new Map<number, number>();

  constructor(
    private readonly db: Database.Database,
    private readonly codes: CacheCodes,
  ) {
    this.#attributes = db
      .prepare<[number], string | null>(
        `SELECT ${attributesSql("attributes")} FROM nodes WHERE pk = ?`,
      )
      .pluck();
    this.#lineToRow = db.prepare<[number]>(LINE_TO_ROW_SQL);
  }

  /** A row was written unfinished, at `ctime`. */
  written(pk: number, ctime: number): void {
    if (this.#times.size >= KEPT_TIMES) this.#times.clear();
    this.#times.set(pk, ctime);
  }

  /** Applies one change; false when no such process row. */
  apply(pk: number, change: WireChange): boolean {
    const ctime = this.#times.get(pk);
    if (change.endedAt !== undefined) {
      this.#times.delete(pk);
      // A finished line made from the row's end time keeps the time it was written with.
      this.#lineToRow.run(pk);
    }
    const known = ctime !== undefined;
    const after = (time: number) => (known ? time - ctime : time);
    // mtime is stored as ms after the end (the new one, if this sets it) or ctime (node-codes.ts).
    const values: unknown[] = [
      change.endedAt !== undefined ? change.mtime - change.endedAt : after(change.mtime),
    ];
    let mask = 0;
    const set = (bit: number, value: unknown): void => {
      mask |= 1 << bit;
      values.push(value);
    };
    if (change.state !== undefined) set(0, storedState(change.state));
    if (change.exitCode !== undefined) set(1, change.exitCode);
    if (change.startedAt !== undefined) set(2, after(change.startedAt));
    if (change.endedAt !== undefined) set(3, after(change.endedAt));
    const patch =
      change.patch === undefined
        ? undefined
        : (parseCanonicalJson(change.patch) as Record<string, unknown>);
    if (patch !== undefined) {
      // The key has its own column: a key alone leaves the attributes text as it is.
      const keyOnly = "cacheKey" in patch && Object.keys(patch).length === 1;
      if (!keyOnly)
        set(4, attributesValue(storedAttributesText({ ...this.#stored(pk), ...patch })));
      if ("cacheKey" in patch) set(5, this.codes.stored(cacheKeyOf(patch) ?? null));
    }
    values.push(pk);
    return this.#statement(mask, known).run(...values).changes > 0;
  }

  #stored(pk: number): Record<string, unknown> {
    const text = this.#attributes.get(pk);
    return typeof text === "string" ? (parseCanonicalJson(text) as Record<string, unknown>) : {};
  }

  /**
   * The UPDATE of the fields in `mask` (bits in {@link FIELDS} order), prepared once; `known`:
   * its times come as ms after the row's ctime.
   */
  #statement(mask: number, known: boolean): Database.Statement {
    const at = mask * 2 + (known ? 1 : 0);
    let statement = this.#statements[at];
    if (statement === undefined) {
      const fields = FIELDS.filter((_, bit) => (mask & (1 << bit)) !== 0);
      const ends = (mask & (1 << 3)) !== 0;
      const ctime = known ? "" : ` - ${CTIME}`;
      const set = [
        ends ? "mtime = ?" : `mtime = ?${ctime} - coalesce(ended_at, 0)`,
        ...fields.map((f) =>
          f === "started_at" || f === "ended_at" ? `${f} = ?${ctime}` : `${f} = ?`,
        ),
      ];
      if (ends) set.push("finished_line = NULL");
      statement = this.db.prepare(
        `UPDATE nodes SET ${set.join(", ")} WHERE pk = ? AND type != ${DATA}`,
      );
      this.#statements[at] = statement;
    }
    return statement;
  }
}
