/**
 * What the cache-key index holds (schema 6): 8 of a key's 32 bytes, not all of them. Keys are
 * hashes, so each new one lands at a random place in the index; the smaller its entries, the
 * fewer pages a commit rewrites and the fewer bytes a task costs (about 25). A lookup matches
 * the slice through the index, then the whole key in the row.
 *
 * The slice straddles the key's two parts: every call of one task shares the code hash and
 * calls with equal inputs share the input hash, but two different keys rarely share both. In
 * a key packed as schema 8 stores it (cache-codes.ts: the input hash's 16 bytes, then the
 * code hash's reference of 1–4 bytes) it is the input hash's last 4 bytes and the reference,
 * 5–8 bytes. Keys kept as text (an imported archive's) are sliced by characters: the same
 * expression on both sides, so still found.
 *
 * The index is made by a store's first lookup by key (schema 11), not with the file: only
 * runs with `cache: true` look calls up by key (a resumed run finds its own calls by theirs),
 * and each new key, random in the index, cost a writer ~2.5 µs a task. A store that never
 * caches never pays for it; one that does pays once to index its tasks so far, then per task.
 */

/** The indexed slice of the cache key in `column` (or of a bound `?`). */
export function cacheKeySliceSql(column: string): string {
  return `substr(${column}, 13, 8)`;
}

/** SQL: makes the cache-key index where it is missing. */
export const CACHE_KEY_INDEX_SQL = `CREATE INDEX IF NOT EXISTS nodes_cache_key
  ON nodes (${cacheKeySliceSql("cache_key")}) WHERE cache_key IS NOT NULL`;
