/**
 * Cache keys as stored (schema 8). A key in the engine's form is `code hash:input hash`, and
 * every call of one task shares the code hash: it is stored once, in `cache_codes`, and the row
 * holds the input hash's 16 bytes followed by the code hash's reference (1–4 bytes, numbered
 * in order) where it held all 32 bytes: about 21 bytes a task, in the row and in the cache-key
 * index (whose slice, cache-key-index.ts, now takes the input hash's last 4 bytes and the
 * reference). A key in any other form is stored as its text, as before; reads give back the
 * text either way ({@link cacheKeyTextSql}).
 */
import type Database from "better-sqlite3";
import { packedInputHash, storedCacheKey } from "./compact-keys.js";
import { numberBytes } from "./shared-attributes.js";

/** Bytes of each half of a packed key. */
const HALF = 16;
/** Characters of a key in the engine's form. */
const KEY_LENGTH = 65;

/** SQL giving a stored cache key back as its text. */
export function cacheKeyTextSql(column: string): string {
  const code = `(SELECT hash FROM cache_codes WHERE ref = substr(${column}, ${HALF + 1}))`;
  const text = `hex(${code}) || ':' || hex(substr(${column}, 1, ${HALF}))`;
  return `CASE WHEN typeof(${column}) = 'blob' THEN lower(${text}) ELSE ${column} END`;
}

/** `n` (≥ 1) as its shortest big-endian bytes, in SQL. */
function refSql(n: string): string {
  return `unhex(CASE WHEN ${n} < 256 THEN printf('%02x', ${n}) WHEN ${n} < 65536 THEN printf('%04x', ${n})
    WHEN ${n} < 16777216 THEN printf('%06x', ${n}) ELSE printf('%08x', ${n}) END)`;
}

/** SQL moving the code hashes of a store of schema 7's packed keys into `cache_codes`. */
export const CACHE_CODES_MIGRATION_SQL = `
  CREATE TABLE cache_codes (ref BLOB PRIMARY KEY, hash BLOB NOT NULL UNIQUE) WITHOUT ROWID;
  INSERT INTO cache_codes (ref, hash)
    SELECT ${refSql("row_number() OVER (ORDER BY first)")}, code FROM (
      SELECT substr(cache_key, 1, ${HALF}) AS code, min(pk) AS first FROM nodes
        WHERE typeof(cache_key) = 'blob' AND length(cache_key) = ${2 * HALF} GROUP BY code);
  UPDATE nodes SET cache_key = unhex(hex(substr(cache_key, ${HALF + 1}))
      || hex((SELECT ref FROM cache_codes WHERE hash = substr(cache_key, 1, ${HALF}))))
    WHERE typeof(cache_key) = 'blob' AND length(cache_key) = ${2 * HALF}`;

/** The references of code hashes, for the rows of one transaction. */
export class CacheCodes {
  readonly #insert: Database.Statement<[Buffer, Buffer]>;
  readonly #find: Database.Statement<[Buffer], Buffer>;
  readonly #count: Database.Statement<[], number>;
  /**
   * Refs by the code hash's hex: found in the file (kept: codes are never deleted, so a ref
   * found once, committed before this transaction, stays right) and stored by this transaction
   * (forgotten with it: a rollback takes them out, and its number may go to another code).
   */
  readonly #found = new Map<string, Buffer>();
  readonly #added = new Map<string, Buffer>();

  constructor(db: Database.Database) {
    this.#insert = db.prepare<[Buffer, Buffer]>(
      "INSERT INTO cache_codes (ref, hash) VALUES (?, ?)",
    );
    this.#find = db.prepare<[Buffer], Buffer>("SELECT ref FROM cache_codes WHERE hash = ?").pluck();
    this.#count = db.prepare<[], number>("SELECT count(*) FROM cache_codes").pluck();
  }

  /** The stored form of a cache key (inside the write transaction), its code hash stored if new. */
  stored(key: string | null): Buffer | string | null {
    if (key === null || key.length !== KEY_LENGTH) return key;
    const code = key.slice(0, 2 * HALF);
    let ref = this.#found.get(code) ?? this.#added.get(code);
    if (ref === undefined) {
      const packed = storedCacheKey(key);
      if (typeof packed === "string") return packed;
      const hash = packed.subarray(0, HALF);
      ref = this.#find.get(hash);
      if (ref !== undefined) this.#found.set(code, ref);
      else {
        // Codes are never deleted: the count numbers the next one.
        ref = numberBytes((this.#count.get() as number) + 1);
        this.#insert.run(ref, hash);
        this.#added.set(code, ref);
      }
    }
    // The code hash is hex (packed when its reference was taken); the rest is checked here.
    return packedInputHash(key, ref) ?? key;
  }

  /** The transaction ended. */
  forget(): void {
    this.#added.clear();
  }
}

/**
 * The stored form of `key` for a lookup (no transaction needed); undefined when its code hash
 * was never stored, so no row holds it.
 */
export function lookupForm(
  key: string,
  refOf: (hash: Buffer) => Buffer | undefined,
): Buffer | string | undefined {
  const packed = storedCacheKey(key);
  if (typeof packed === "string") return packed;
  const ref = refOf(packed.subarray(0, HALF));
  return ref === undefined ? undefined : Buffer.concat([packed.subarray(HALF), ref]);
}
