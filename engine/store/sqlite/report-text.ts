/**
 * A report line's `text` is almost always its other fields in the engine's format; storing it
 * again would be the biggest column of the file. It is stored as NULL when it is exactly
 * `<stamp> [<level>] [<run pk>|WorkGraphImperativeEngine|<step>]: <message>`, and rebuilt on
 * reading. Any other text is stored as it is.
 */
import type { ReportLine } from "../../model/events.js";
import { isReportText } from "../../model/report-line.js";

/** The largest time a Date holds, in ms either side of 1970. */
const MAX_TIME = 8.64e15;

/** What to store in the `text` column: NULL when the text is the standard one. */
export function storedText(runPk: number, line: ReportLine): string | null {
  // A time no Date holds prints otherwise: such a line keeps its text.
  const at = line.at;
  if (typeof at !== "number" || !(Math.abs(at) <= MAX_TIME)) return line.text;
  return isReportText(runPk, line, line.text) ? null : line.text;
}
