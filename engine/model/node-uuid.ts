/**
 * Uuids of stored nodes, in creation order (RFC 9562 version 7): 48 bits of Unix time in ms,
 * a 12-bit counter within the millisecond (so one process's uuids strictly increase), and 62
 * random bits (so two processes never make the same one). A store's uuid index takes them at
 * its right edge, on the pages it just wrote, where random (version 4) uuids land on any page
 * of an index that outgrows the cache long before a run of a million tasks ends.
 */
import { randomFillSync } from "node:crypto";

/** The ASCII codes of the hex digits. */
const DIGITS = Uint8Array.from("0123456789abcdef", (c) => c.charCodeAt(0));
/** Random bytes drawn 8 KB at a time: a draw per uuid would cost more than the rest of it. */
const pool = new Uint8Array(8192);
let poolAt = pool.length;
let lastMs = 0;
let counter = 0;
/**
 * The uuid's characters are written here and read out as one string: joining its parts with
 * `+` would make a tree of a dozen string pieces per uuid (V8's cons strings), kept as long as
 * the uuid is, several times the 36 bytes of the flat string.
 */
const text = Buffer.from("00000000-0000-7000-8000-000000000000", "latin1");

/** Writes `byte` as two hex digits at `at`. */
function hex(byte: number, at: number): void {
  text[at] = DIGITS[byte >> 4] as number;
  text[at + 1] = DIGITS[byte & 0xf] as number;
}

/** A new version-7 uuid, greater than every one this process made before. */
export function nodeUuid(): string {
  const now = Date.now();
  if (now > lastMs) {
    lastMs = now;
    counter = 0;
  } else if (++counter > 0xfff) {
    // 4,096 in one millisecond: borrow the next one (stays monotonic, as RFC 9562 allows)
    lastMs++;
    counter = 0;
  }
  if (poolAt + 8 > pool.length) {
    randomFillSync(pool);
    poolAt = 0;
  }
  const r = poolAt;
  poolAt += 8;
  const high = Math.floor(lastMs / 0x1_0000);
  // time: 8 + 4 digits
  hex((high >>> 24) & 0xff, 0);
  hex((high >>> 16) & 0xff, 2);
  hex((high >>> 8) & 0xff, 4);
  hex(high & 0xff, 6);
  hex((lastMs >>> 8) & 0xff, 9);
  hex(lastMs & 0xff, 11);
  // version 7, then the counter
  text[15] = DIGITS[counter >> 8] as number;
  hex(counter & 0xff, 16);
  // variant 10xx, then random
  hex(0x80 | ((pool[r] as number) & 0x3f), 19);
  hex(pool[r + 1] as number, 21);
  for (let i = 0; i < 6; i++) hex(pool[r + 2 + i] as number, 24 + 2 * i);
  return text.toString("latin1");
}
