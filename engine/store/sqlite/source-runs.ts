/**
 * A task's `sources` (the tasks its inputs come from, stored with it: `schedule/run-journal.ts`)
 * kept as runs (schema 10). A fan-in's sources are one entry per input, `{"input":
 * "values[12]","socket":"result","task":15}`, the index and the task each one more than the
 * entry before: the `sum` of a million-task fan-out held 59 MB of them, 59 bytes a task. Such
 * attributes are stored as their text around the array, and the array as runs of entries (the
 * text before the index, the first index, the text between index and task, the first task,
 * its step, the count): `[head, tail, [[before, index, between, task, step, count], …]]`, in a
 * BLOB that starts with a 0 byte (a shared text's reference never does: shared-attributes.ts).
 * Reads make the very text back in SQL ({@link sourceRunsTextSql}). Only long lists whose
 * entries are all of that form are kept so; PostgreSQL and archives hold the text.
 */
import { canonicalJson } from "../canonical-json.js";
import { attributesText } from "./attributes-text.js";

/** Lists shorter than this are kept as text: a few entries save little. */
const FEWEST = 16;
/** Marks the stored form (a 0 byte first; the BLOB's other bytes are its JSON text). */
const MARK = "\u0000";
/** Stands for the list while the rest is made into text; found once in that text. */
const PLACE = "\u0000sources\u0000";
const PLACE_TEXT = canonicalJson(PLACE);
/** An input's path that ends in an index: `values[12]`. */
const INDEXED = /^(.*\[)(0|[1-9][0-9]{0,14})\]$/s;

type SourceRun = [string, number | null, string, number, number, number];

/**
 * The text of a task's attributes as the store keeps it: their canonical text, or their
 * sources as runs (marked: {@link attributesValue} turns it into the BLOB stored).
 */
export function storedAttributesText(attributes: Readonly<Record<string, unknown>>): string {
  const sources = attributes.sources;
  if (!Array.isArray(sources) || sources.length < FEWEST || Object.isFrozen(attributes)) {
    return attributesText(attributes);
  }
  const runs = sourceRuns(sources);
  if (runs === undefined) return attributesText(attributes);
  const text = attributesText({ ...attributes, sources: PLACE });
  const at = text.indexOf(PLACE_TEXT);
  if (at < 0 || text.includes(PLACE_TEXT, at + 1)) return attributesText(attributes);
  return MARK + JSON.stringify([text.slice(0, at), text.slice(at + PLACE_TEXT.length), runs]);
}

/** A row's `attributes` as bound: the BLOB of sources kept as runs, or the text. */
export function attributesValue(text: string): string | Buffer {
  return text.startsWith(MARK) ? Buffer.from(text, "utf8") : text;
}

/** The runs of `sources`, or undefined where an entry is not `{input, socket, task}`. */
function sourceRuns(sources: readonly unknown[]): SourceRun[] | undefined {
  const runs: SourceRun[] = [];
  let last: SourceRun | undefined;
  for (const source of sources) {
    if (typeof source !== "object" || source === null) return undefined;
    if (Object.getPrototypeOf(source) !== Object.prototype) return undefined;
    const { input, socket, task } = source as Record<string, unknown>;
    if (Object.keys(source).length !== 3 || typeof input !== "string") return undefined;
    if (typeof socket !== "string" || !Number.isSafeInteger(task) || (task as number) < 1) {
      return undefined;
    }
    const indexed = INDEXED.exec(input);
    const index = indexed === null ? null : Number(indexed[2]);
    const before =
      indexed === null
        ? `{"input":${JSON.stringify(input)},"socket":${JSON.stringify(socket)},"task":`
        : `{"input":${JSON.stringify(indexed[1]).slice(0, -1)}`;
    const between = indexed === null ? "" : `]","socket":${JSON.stringify(socket)},"task":`;
    if (last !== undefined && continues(last, before, index, between, task as number)) {
      if (last[5] === 1) last[4] = (task as number) - last[3];
      last[5]++;
      continue;
    }
    last = [before, index, between, task as number, 0, 1];
    runs.push(last);
  }
  return runs;
}

/** Whether an entry is the next of `run`. */
function continues(
  run: SourceRun,
  before: string,
  index: number | null,
  between: string,
  task: number,
): boolean {
  const [runBefore, first, runBetween, firstTask, step, count] = run;
  if (first === null || index !== first + count) return false;
  if (before !== runBefore || between !== runBetween) return false;
  return count === 1 ? Number.isSafeInteger(task - firstTask) : task === firstTask + step * count;
}

/**
 * SQL: the text of attributes stored as {@link storedAttributesText}'s runs (the BLOB). Each
 * run's entries are counted out by a recursive query (`n` left to make), which carries its
 * values along (reading them from the JSON per entry took half as long again).
 */
export function sourceRunsTextSql(column: string): string {
  const json = `CAST(substr(${column}, 2) AS TEXT)`;
  const run = [0, 1, 2, 3, 4, 5].map((at) => `r.value ->> ${at}`).join(", ");
  return `(WITH RECURSIVE e(k, b, i, m, t, d, n) AS (
      SELECT r.key, ${run} FROM json_each(${json}, '$[2]') r
      UNION ALL SELECT k, b, i + 1, m, t + d, d, n - 1 FROM e WHERE n > 1)
    SELECT (${json} ->> 0) || '[' || group_concat(b || coalesce(i, '') || m || t || '}', ','
      ORDER BY k, n DESC) || ']' || (${json} ->> 1) FROM e)`;
}
