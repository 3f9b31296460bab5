/**
 * Link labels as stored (schema 8): a CALL link's label is the called task's name and a lone
 * output's CREATE link is labelled `result`, so both are stored as '' (no bytes in the row)
 * and derived where read ({@link labelSql}): about 13 bytes a task. A label that is itself ''
 * is stored as an empty BLOB, which '' does not equal, and read back as ''. Any other label is
 * stored as it is.
 */
import { storedLinkType } from "./link-types.js";

const CALL_CODE = storedLinkType("CALL");
const CREATE_CODE = storedLinkType("CREATE");
/** The label of a lone output. */
const RESULT = "result";
const EMPTY = Buffer.alloc(0);

/** Marks a label in a write batch that is stored as it is after the mark ('' alone: an empty one). */
const KEEP = "\u0000";

/**
 * A link's label as a write batch carries it (made where the link is added, the only place
 * that still knows the called task's name: its row may reach the file after the link): ''
 * where it is derivable (`called`: the name of the node a CALL link goes to, if known), else
 * the label, with {@link KEEP} before it if it is '' or starts with the mark itself.
 */
export function wireLabel(type: string, label: string, called?: string | null): string {
  if (type === "CREATE" ? label === RESULT : type === "CALL" && label === called) return "";
  return label === "" || label.charCodeAt(0) === 0 ? KEEP + label : label;
}

/** The stored form of a label as a write batch carries it ({@link wireLabel}). */
export function storedLabel(wire: unknown): unknown {
  if (typeof wire !== "string" || wire.charCodeAt(0) !== 0) return wire;
  return wire.length === 1 ? EMPTY : wire.slice(1);
}

/** SQL giving the label of the link `alias` (a table name or alias) back as its text. */
export function labelSql(alias: string): string {
  return `CASE ${alias}.label WHEN '' THEN CASE ${alias}.type
      WHEN '${CALL_CODE}' THEN (SELECT name FROM nodes WHERE pk = ${alias}.to_pk) ELSE '${RESULT}' END
    ELSE CAST(${alias}.label AS TEXT) END`;
}

/** SQL rewriting the labels of a store of schema 7 into their stored forms. */
export const LABELS_MIGRATION_SQL = `UPDATE links SET label = CASE
    WHEN label = '' THEN x''
    WHEN type = '${CREATE_CODE}' AND label = '${RESULT}' THEN ''
    WHEN type = '${CALL_CODE}' AND label = (SELECT name FROM nodes WHERE pk = links.to_pk) THEN ''
    ELSE label END
  WHERE label = '' OR type IN ('${CREATE_CODE}', '${CALL_CODE}')`;
