/**
 * What the uuid index holds (schema 9): 6 of a packed uuid's 16 bytes, not all of them, and no
 * UNIQUE constraint. A lookup matches the slice through the index, then the whole uuid in the
 * row ({@link uuidMatchSql}); uniqueness is checked once per written batch, over the batch's
 * rows ({@link UuidCheck}), where SQLite checked each row against a 16-byte index entry.
 *
 * The slice is bytes 3–8 of a version-7 uuid (model/node-uuid.ts): the low 32 bits of its ms
 * time, then the version and the counter within the ms. One process's uuids so stay distinct
 * and in creation order in the index for 49 days (new entries land at its right edge, on the
 * pages just written; the random bytes would scatter them), and uuids of two processes that
 * share a slice are told apart by the whole uuid. A uuid kept as text (an imported archive's
 * own names) is sliced by characters, as text, which never equals a packed slice (indexing it
 * whole instead cost every insert a `CASE`).
 */
import type Database from "better-sqlite3";
import { DuplicateUuidError } from "../store-errors.js";
import { uuidTextSql } from "./compact-keys.js";

/** The indexed slice of the uuid in `column` (or of a bound `?`). */
export function uuidSliceSql(column: string): string {
  return `substr(${column}, 3, 6)`;
}

/** SQL: the row of `alias` (a table name or alias) has the stored uuid bound as `@uuid`. */
export function uuidMatchSql(alias: string): string {
  return `${uuidSliceSql(`${alias}.uuid`)} = ${uuidSliceSql("@uuid")} AND ${alias}.uuid = @uuid`;
}

/** SQL creating the uuid index. */
export const UUID_INDEX_SQL = `CREATE INDEX nodes_uuid ON nodes (${uuidSliceSql("uuid")})`;

const byValue = (a: number, b: number): number => a - b;

/** Up to this many stretches of one slice are counted one by one, more in one statement. */
const FEW = 4;

/** Slices this far apart (16 ms of uuid time) are looked up apart, not as one range. */
const GAP = 16 * 0x1_0000;

/**
 * Checks that the nodes a batch writes have uuids no other node has (inside its transaction):
 * {@link add} each node as it is written, then {@link check}.
 *
 * A look-up per node (its slice in the index, then the whole uuid of each other row found)
 * cost more than the UNIQUE index it replaces. Instead the batch's packed slices, sorted, are
 * cut where two lie more than {@link GAP} apart, and each stretch is one range of the index,
 * counted without the rows: when it holds just the stretch's own slices, all distinct, no
 * other node can share their uuids. Otherwise the range is read in order, and only the rows
 * of a slice found there more than once are compared whole. A batch's nodes are made close
 * together (one stretch); a node made long before (an old task ending) is a stretch of its
 * own; random (version 4) uuids, as an old archive's, are each one, and more than {@link FEW}
 * such are looked up in one statement. A uuid kept as text is looked up by its slice, then compared whole.
 */
export class UuidCheck {
  readonly #count: Database.Statement<[Buffer, Buffer], number>;
  readonly #repeated: Database.Statement<[Buffer, Buffer], Buffer>;
  readonly #lone: Database.Statement<[string], Buffer>;
  readonly #equal: Database.Statement<[Buffer], string>;
  readonly #texts: Database.Statement<[string], string>;
  readonly #remove: Database.Statement<[string]>;
  readonly #pks: number[] = [];
  readonly #slices: number[] = [];
  readonly #textUuids: string[] = [];
  readonly #low = Buffer.alloc(6);
  readonly #high = Buffer.alloc(6);

  constructor(db: Database.Database) {
    const slice = uuidSliceSql("uuid");
    this.#count = db
      .prepare<[Buffer, Buffer], number>(
        `SELECT count(*) FROM nodes WHERE ${slice} BETWEEN ? AND ?`,
      )
      .pluck();
    this.#repeated = db
      .prepare<[Buffer, Buffer], Buffer>(
        `SELECT ${slice} FROM nodes WHERE ${slice} BETWEEN ? AND ? GROUP BY ${slice} HAVING count(*) > 1`,
      )
      .pluck();
    this.#lone = db
      .prepare<[string], Buffer>(
        `SELECT s FROM (SELECT unhex(printf('%012x', value)) AS s FROM json_each(?))
         WHERE (SELECT count(*) FROM nodes WHERE ${slice} = s) > 1`,
      )
      .pluck();
    this.#equal = db
      .prepare<[Buffer], string>(
        `SELECT ${uuidTextSql("uuid")} FROM nodes WHERE ${slice} = ? GROUP BY uuid HAVING count(*) > 1`,
      )
      .pluck();
    this.#texts = db
      .prepare<[string], string>(
        `SELECT t.value FROM json_each(?) t WHERE (SELECT count(*) FROM nodes
           WHERE ${slice} = ${uuidSliceSql("t.value")} AND uuid = t.value) > 1`,
      )
      .pluck();
    this.#remove = db.prepare<[string]>(
      "DELETE FROM nodes WHERE pk IN (SELECT value FROM json_each(?))",
    );
  }

  /** Forgets the nodes added (a batch starts: what an earlier one that failed added is gone). */
  clear(): void {
    this.#pks.length = 0;
    this.#slices.length = 0;
    this.#textUuids.length = 0;
  }

  /** A node of the batch, with its uuid as stored. */
  add(pk: number, uuid: unknown): void {
    this.#pks.push(pk);
    if (typeof uuid === "string") this.#textUuids.push(uuid);
    else {
      // Bytes 3–8 as one number (48 bits: exact in a double); readUIntBE took twice as long.
      const b = uuid as Buffer;
      const high = (b[2] as number) * 0x100 + (b[3] as number);
      const low =
        (b[4] as number) * 0x1_00_00_00 +
        (((b[5] as number) << 16) | ((b[6] as number) << 8) | (b[7] as number));
      this.#slices.push(high * 0x1_00_00_00_00 + low);
    }
  }

  /**
   * Throws {@link DuplicateUuidError} if a node added since the last check (and written) shares
   * its uuid with any other node, after taking the added nodes out again: the batch's nodes are
   * refused whole, as SQLite's UNIQUE constraint refused the statement holding the row.
   */
  check(): void {
    try {
      const duplicate = this.#duplicate();
      if (duplicate === undefined) return;
      this.#remove.run(JSON.stringify(this.#pks));
      throw new DuplicateUuidError(duplicate);
    } finally {
      this.clear();
    }
  }

  #duplicate(): string | undefined {
    if (this.#textUuids.length > 0) {
      const text = this.#texts.get(JSON.stringify(this.#textUuids));
      if (text !== undefined) return text;
    }
    // In place, by a comparison (a merge sort): a batch's slices come as a few sorted runs.
    const sorted = this.#slices.sort(byValue);
    // Stretches of one slice (random uuids: each is one) are looked up after the ranges.
    const lone: number[] = [];
    let from = 0;
    let repeated = false;
    for (let i = 1; i <= sorted.length; i++) {
      const previous = sorted[i - 1] as number;
      const next = sorted[i];
      if (next !== undefined && next - previous <= GAP) {
        repeated ||= next === previous;
        continue;
      }
      if (i - from === 1) lone.push(previous);
      else {
        this.#low.writeUIntBE(sorted[from] as number, 0, 6);
        this.#high.writeUIntBE(previous, 0, 6);
        // Counting the range is cheap; only a range holding more than its stretch is searched.
        if (repeated || (this.#count.get(this.#low, this.#high) as number) > i - from) {
          for (const slice of this.#repeated.all(this.#low, this.#high)) {
            const uuid = this.#equal.get(slice);
            if (uuid !== undefined) return uuid;
          }
        }
      }
      from = i;
      repeated = false;
    }
    if (lone.length > FEW) {
      for (const slice of this.#lone.all(JSON.stringify(lone))) {
        const uuid = this.#equal.get(slice);
        if (uuid !== undefined) return uuid;
      }
      return undefined;
    }
    // A few (a small batch's nodes): a count each costs less than a list to parse.
    for (const value of lone) {
      this.#low.writeUIntBE(value, 0, 6);
      if ((this.#count.get(this.#low, this.#low) as number) > 1) {
        const uuid = this.#equal.get(this.#low);
        if (uuid !== undefined) return uuid;
      }
    }
    return undefined;
  }
}
