/**
 * A node's `ctime` as ms after its uuid's time (schema 10). The engine's uuids are version 7
 * (`model/node-uuid.ts`): their first 6 bytes are the ms they were made, which is the node's
 * `ctime` or within a few ms of it, so the stored `ctime` is mostly 0 (no bytes in SQLite's
 * record) where the epoch time took 6, about 18 bytes a task. Any packed uuid (16 bytes) is
 * counted from its first 6 bytes, whatever its version (the difference is then large, and
 * exact); a uuid kept as text, and a run (the runs index and filters are on its `ctime`), keep
 * the time as it is. Reads give the time back in SQL ({@link ctimeSql}).
 */
import { RUN } from "./node-codes.js";

/** The stored type of a run (node-codes.ts). */
const RUN_TYPE = RUN.slice(1, -1);

/** The ms time in the first 6 bytes of a packed uuid. */
function uuidTime(uuid: Uint8Array): number {
  const high = (uuid[0] as number) * 256 + (uuid[1] as number);
  const low =
    (uuid[2] as number) * 16_777_216 +
    (uuid[3] as number) * 65_536 +
    (uuid[4] as number) * 256 +
    (uuid[5] as number);
  return high * 4_294_967_296 + low;
}

/** The stored `ctime` of a row whose uuid and type are already in their stored forms. */
export function storedCtime(ctime: number, uuid: unknown, type: unknown): number {
  return uuid instanceof Uint8Array && type !== RUN_TYPE ? ctime - uuidTime(uuid) : ctime;
}

/** SQL: the time in the first 6 bytes of the packed uuid `column` (JSON5 reads hex numbers). */
function uuidTimeSql(column: string): string {
  return `json_extract('0x' || hex(substr(${column}, 1, 6)), '$')`;
}

/** SQL: the stored `ctime` of the row (or alias `n.`) as its time. */
export function ctimeSql(prefix = ""): string {
  return `(${prefix}ctime + CASE WHEN typeof(${prefix}uuid) = 'blob' AND ${prefix}type <> ${RUN}
    THEN ${uuidTimeSql(`${prefix}uuid`)} ELSE 0 END)`;
}

/** SQL rewriting the `ctime` of a store of schema 9 as schema 10 stores it. */
export const UUID_TIMES_MIGRATION_SQL = `UPDATE nodes SET ctime = ctime - ${uuidTimeSql("uuid")}
  WHERE typeof(uuid) = 'blob' AND type <> ${RUN}`;

/** SQL: the stored `ended_at` of the row (or alias `n.`) as its time. */
export function endedAtSql(prefix = ""): string {
  return `${ctimeSql(prefix)} + ${prefix}ended_at`;
}
