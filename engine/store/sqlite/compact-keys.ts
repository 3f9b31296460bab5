/**
 * Uuids and cache keys as stored: the bytes their hex digits spell, not the digits. A uuid is
 * 16 bytes instead of 36 characters and a cache key 32 instead of 65, in the row and again in
 * its index (about 200 bytes a task). Only the engine's own forms are packed (lowercase
 * `8-4-4-4-12` hex; `32 hex:32 hex`); any other text (an imported archive's names) is stored
 * as it is, and reads give back the very text that was written either way.
 */

/** Each UTF-16 code's hex value, or 255 where it is no lowercase hex digit. */
const HEX = new Uint8Array(65_536).fill(255);
for (let i = 0; i < 16; i++) HEX["0123456789abcdef".charCodeAt(i)] = i;

const DASH = "-".charCodeAt(0);
const COLON = ":".charCodeAt(0);

/**
 * Writes into `out` at `offset` the `bytes` bytes the hex digits of `text` spell, when `text`
 * is `length` characters of lowercase hex with `separator` at exactly the places `isSeparator`
 * names; whether it was (else what was written is to be ignored). Checked while packing, in
 * one pass: a regular expression first took as long again.
 */
function packHexInto(
  text: string,
  length: number,
  bytes: number,
  separator: number,
  isSeparator: (at: number) => boolean,
  out: Uint8Array,
  offset: number,
): boolean {
  if (text.length !== length) return false;
  let at = 0;
  for (let i = 0; i < bytes; i++) {
    if (isSeparator(at)) {
      if (text.charCodeAt(at) !== separator) return false;
      at++;
    }
    const high = HEX[text.charCodeAt(at)] as number;
    const low = HEX[text.charCodeAt(at + 1)] as number;
    if ((high | low) > 15) return false;
    out[offset + i] = (high << 4) | low;
    at += 2;
  }
  return true;
}

/** {@link packHexInto} a Buffer of its own, or undefined. */
function packHex(
  text: string,
  length: number,
  bytes: number,
  separator: number,
  isSeparator: (at: number) => boolean,
): Buffer | undefined {
  if (text.length !== length) return undefined;
  const out = Buffer.allocUnsafe(bytes);
  return packHexInto(text, length, bytes, separator, isSeparator, out, 0) ? out : undefined;
}

const uuidDash = (at: number): boolean => at === 8 || at === 13 || at === 18 || at === 23;
const keyColon = (at: number): boolean => at === 32;

/** The stored form of a node's uuid: 16 bytes when it is a lowercase uuid, else the text. */
export function storedUuid(uuid: string): Buffer | string {
  return packHex(uuid, 36, 16, DASH, uuidDash) ?? uuid;
}

/** The bytes of a packed uuid. */
export const UUID_BYTES = 16;

/**
 * Packs a lowercase uuid's 16 bytes into `out` at `offset`; false (`out` to be ignored there)
 * when `uuid` is any other text, which is stored as it is.
 */
export function packUuidInto(uuid: string, out: Uint8Array, offset: number): boolean {
  return packHexInto(uuid, 36, UUID_BYTES, DASH, uuidDash, out, offset);
}

/** The stored form of a cache key: 32 bytes when it is the engine's hex form, else the text. */
export function storedCacheKey(key: string): Buffer | string {
  return packHex(key, 65, 32, COLON, keyColon) ?? key;
}

/**
 * The input hash of a cache key whose code hash is known to be hex (32 digits, then `:`, then
 * 32 more) as its 16 bytes, followed by `suffix`; undefined when the rest is not in that form.
 */
export function packedInputHash(key: string, suffix: Buffer): Buffer | undefined {
  if (key.length !== 65 || key.charCodeAt(32) !== COLON) return undefined;
  const out = Buffer.allocUnsafe(16 + suffix.length);
  for (let i = 0, at = 33; i < 16; i++, at += 2) {
    const high = HEX[key.charCodeAt(at)] as number;
    const low = HEX[key.charCodeAt(at + 1)] as number;
    if ((high | low) > 15) return undefined;
    out[i] = (high << 4) | low;
  }
  for (let i = 0; i < suffix.length; i++) out[16 + i] = suffix[i] as number;
  return out;
}

/** SQL giving a stored uuid back as its text (`column` may be qualified: `n.uuid`). */
export function uuidTextSql(column: string): string {
  const part = (from: number, length?: number) =>
    `substr(hex(${column}), ${from}${length === undefined ? "" : `, ${length}`})`;
  const text = [part(1, 8), part(9, 4), part(13, 4), part(17, 4), part(21)].join(" || '-' || ");
  return `CASE WHEN typeof(${column}) = 'blob' THEN lower(${text}) ELSE ${column} END`;
}

/** A GLOB pattern matching the text forms that are packed (for migrating stored rows). */
export const UUID_GLOB = ["8", "4", "4", "4", "12"]
  .map((n) => "[0-9a-f]".repeat(Number(n)))
  .join("-");

/** A GLOB pattern matching the cache keys that are packed. */
export const CACHE_KEY_GLOB = `${"[0-9a-f]".repeat(32)}:${"[0-9a-f]".repeat(32)}`;
