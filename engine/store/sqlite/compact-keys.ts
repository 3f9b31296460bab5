/**
 * Uuids and cache keys as stored: the bytes their hex digits spell, not the digits. A uuid is
 * 16 bytes instead of 36 characters and a cache key 32 instead of 65, in the row and again in
 * its index (about 200 bytes a task). Only the engine's own forms are packed (lowercase
 * `8-4-4-4-12` hex; `32 hex:32 hex`); any other text (an imported archive's names) is stored
 * as it is, and reads give back the very text that was written either way.
 */

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const CACHE_KEY = /^[0-9a-f]{32}:[0-9a-f]{32}$/;

/** Each ASCII code's hex value, or 255 where it is no lowercase hex digit. */
const HEX = new Uint8Array(128).fill(255);
for (let i = 0; i < 16; i++) HEX["0123456789abcdef".charCodeAt(i)] = i;

/** Writes the hex digits of `text` (skipping the separator at `skip`s) as bytes. */
function packHex(text: string, bytes: number, skip: (at: number) => boolean): Buffer {
  const out = Buffer.allocUnsafe(bytes);
  let at = 0;
  for (let i = 0; i < bytes; i++) {
    while (skip(at)) at++;
    out[i] = ((HEX[text.charCodeAt(at)] as number) << 4) | (HEX[text.charCodeAt(at + 1)] as number);
    at += 2;
  }
  return out;
}

const uuidDash = (at: number): boolean => at === 8 || at === 13 || at === 18 || at === 23;
const keyColon = (at: number): boolean => at === 32;

/** The stored form of a node's uuid: 16 bytes when it is a lowercase uuid, else the text. */
export function storedUuid(uuid: string): Buffer | string {
  return UUID.test(uuid) ? packHex(uuid, 16, uuidDash) : uuid;
}

/** The stored form of a cache key: 32 bytes when it is the engine's hex form, else the text. */
export function storedCacheKey(key: string): Buffer | string {
  return CACHE_KEY.test(key) ? packHex(key, 32, keyColon) : key;
}

/** The stored form of a cache key that may be absent. */
export function storedCacheKeyOrNull(key: string | null): Buffer | string | null {
  return key === null ? null : storedCacheKey(key);
}

/** SQL giving a stored uuid back as its text (`column` may be qualified: `n.uuid`). */
export function uuidTextSql(column: string): string {
  const part = (from: number, length?: number) =>
    `substr(hex(${column}), ${from}${length === undefined ? "" : `, ${length}`})`;
  const text = [part(1, 8), part(9, 4), part(13, 4), part(17, 4), part(21)].join(" || '-' || ");
  return `CASE WHEN typeof(${column}) = 'blob' THEN lower(${text}) ELSE ${column} END`;
}

/** SQL giving a stored cache key back as its text. */
export function cacheKeyTextSql(column: string): string {
  const text = `substr(hex(${column}), 1, 32) || ':' || substr(hex(${column}), 33)`;
  return `CASE WHEN typeof(${column}) = 'blob' THEN lower(${text}) ELSE ${column} END`;
}

/** A GLOB pattern matching the text forms that are packed (for migrating stored rows). */
export const UUID_GLOB = ["8", "4", "4", "4", "12"]
  .map((n) => "[0-9a-f]".repeat(Number(n)))
  .join("-");

/** A GLOB pattern matching the cache keys that are packed. */
export const CACHE_KEY_GLOB = `${"[0-9a-f]".repeat(32)}:${"[0-9a-f]".repeat(32)}`;
