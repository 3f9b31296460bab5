/**
 * Attributes that many task rows share (every call of a task has the same ones: its function
 * and where its source is stored) are stored once, in `attribute_texts`; such a row's
 * `attributes` column holds the text's reference (a few bytes, a BLOB: the column's TEXT
 * affinity would turn a number into text) instead of the text (schema 4), about 65 bytes a
 * task. Reads give back the text either way ({@link attributesSql}).
 */
import type Database from "better-sqlite3";
import { sourceRunsTextSql } from "./source-runs.js";

/**
 * SQL giving a row's attributes as text, whether stored in the row, shared, or with their
 * sources as runs (a BLOB that starts with a 0 byte: source-runs.ts).
 */
export function attributesSql(column: string): string {
  return `CASE WHEN typeof(${column}) <> 'blob' THEN ${column}
    WHEN ${column} < x'01' THEN ${sourceRunsTextSql(column)}
    ELSE (SELECT text FROM attribute_texts WHERE ref = ${column}) END`;
}

/** The references of shared attribute texts, for the rows of one transaction. */
export class SharedAttributes {
  readonly #insert: Database.Statement<[Buffer, string]>;
  readonly #find: Database.Statement<[string], Buffer>;
  readonly #count: Database.Statement<[], number>;
  /** Refs looked up in the open transaction (forgotten with it: a rollback takes new ones out). */
  readonly #refs = new Map<string, Buffer>();

  constructor(db: Database.Database) {
    this.#insert = db.prepare<[Buffer, string]>(
      "INSERT INTO attribute_texts (ref, text) VALUES (?, ?)",
    );
    this.#find = db
      .prepare<[string], Buffer>("SELECT ref FROM attribute_texts WHERE text = ?")
      .pluck();
    this.#count = db.prepare<[], number>("SELECT count(*) FROM attribute_texts").pluck();
  }

  /** The reference of `text`, stored if new (inside the write transaction). */
  ref(text: string): Buffer {
    let ref = this.#refs.get(text) ?? this.#find.get(text);
    if (ref === undefined) {
      // Texts are never deleted: the count numbers the next one.
      ref = numberBytes((this.#count.get() as number) + 1);
      this.#insert.run(ref, text);
    }
    this.#refs.set(text, ref);
    return ref;
  }

  /** The transaction ended. */
  forget(): void {
    this.#refs.clear();
  }
}

/** `n` as its shortest big-endian bytes. */
export function numberBytes(n: number): Buffer {
  const bytes: number[] = [];
  for (let rest = n; rest > 0; rest = Math.floor(rest / 256)) bytes.unshift(rest % 256);
  return Buffer.from(bytes);
}
