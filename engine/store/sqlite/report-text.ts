/**
 * A report line's `text` is almost always its other fields in the engine's format; storing it
 * again would be the biggest column of the file. It is stored as NULL when it is exactly
 * `<stamp> [<level>] [<run pk>|WorkGraphImperativeEngine|<step>]: <message>`, and rebuilt on
 * reading. Any other text is stored as it is.
 */
import type { ReportLine } from "../../model/events.js";
import { reportText } from "../../model/report-line.js";

/** What to store in the `text` column: NULL when the text is the standard one. */
export function storedText(runPk: number, line: ReportLine): string | null {
  if (!line.text.endsWith(line.message) || Number.isNaN(new Date(line.at).getTime()))
    return line.text;
  return line.text === reportText(runPk, line) ? null : line.text;
}
