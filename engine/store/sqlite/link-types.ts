/**
 * Link types as stored (schema 5): one letter each, where the name took 4–6 characters in the
 * row and again in both link indexes (about 70 bytes a task). Reads give the name back in SQL
 * ({@link linkTypeSql}); a type that is not one of the four would be stored as it is.
 */
import type { LinkType } from "../store.js";

const CODES: Readonly<Record<LinkType, string>> = {
  INPUT: "i",
  CREATE: "o",
  CALL: "c",
  RETURN: "r",
};

/** The stored CALL type, for SQL. */
export const CALL = `'${CODES.CALL}'`;

/** The stored form of a link type. */
export function storedLinkType(type: string): string {
  return CODES[type as LinkType] ?? type;
}

const CASES = Object.entries(CODES);

/** SQL giving a stored link type back as its name (`column` may be qualified: `l.type`). */
export function linkTypeSql(column: string): string {
  const whens = CASES.map(([name, code]) => `WHEN '${code}' THEN '${name}'`).join(" ");
  return `CASE ${column} ${whens} ELSE ${column} END`;
}

/** SQL turning the stored names of link types into their letters (migrating stored rows). */
export const LINK_TYPES_TO_CODES = `UPDATE links SET type = CASE type ${CASES.map(
  ([name, code]) => `WHEN '${name}' THEN '${code}'`,
).join(" ")} ELSE type END`;
