/**
 * A report line's `text` is almost always its other fields in the engine's format; storing it
 * again would be the biggest column of the file. It is stored as NULL when it is exactly
 * `<stamp> [<level>] [<run pk>|WorkGraphImperativeEngine|<step>]: <message>`, and rebuilt on
 * reading. Any other text is stored as it is.
 */
import type { ReportLine } from "../../model/events.js";

const LABEL = "WorkGraphImperativeEngine";

let lastAt = Number.NaN;
let lastStamp = "";

/** `2026-11-26 16:18:51.123`: the time as report lines print it (UTC). */
function stamp(at: number): string {
  // Lines come in bursts with the same millisecond: one Date per burst.
  if (at !== lastAt) {
    lastAt = at;
    lastStamp = new Date(at).toISOString().replace("T", " ").replace("Z", "");
  }
  return lastStamp;
}

/** The text a line of this run would have in the engine's format. */
export function standardText(runPk: number, line: Omit<ReportLine, "text" | "runPk">): string {
  return `${stamp(line.at)} [${line.level}] [${runPk}|${LABEL}|${line.step}]: ${line.message}`;
}

/** What to store in the `text` column: NULL when the text is the standard one. */
export function storedText(runPk: number, line: ReportLine): string | null {
  if (!line.text.endsWith(line.message) || Number.isNaN(new Date(line.at).getTime()))
    return line.text;
  return line.text === standardText(runPk, line) ? null : line.text;
}
