/** Report lines in the spirit of AiiDA's process reports, with a timestamp. */
import type { ReportLine } from "./events.js";

/** The process label of every report line. */
export const ENGINE_LABEL = "WorkGraphImperativeEngine";

/** A line made by {@link reportLine}: its text is its fields' printed form, by construction. */
class EngineLine implements ReportLine {
  constructor(
    readonly at: number,
    readonly level: ReportLine["level"],
    readonly runPk: number,
    readonly step: string,
    readonly message: string,
    readonly text: string,
  ) {}
}

/** `2026-11-26 16:18:51.123 [REPORT] [12|WorkGraphImperativeEngine|update_task_state]: …` */
export function reportLine(
  runPk: number,
  step: string,
  message: string,
  level: ReportLine["level"] = "REPORT",
  at = Date.now(),
): ReportLine {
  const text = reportText(runPk, { at, level, step, message });
  return new EngineLine(at, level, runPk, step, message, text);
}

/** The printed form of a report line's fields. */
export function reportText(
  runPk: number,
  line: Pick<ReportLine, "at" | "level" | "step" | "message">,
): string {
  return timestamp(line.at) + lineHead(runPk, line.level, line.step) + line.message;
}

/**
 * Whether `text` is the printed form of the line's fields ({@link reportText}), checked piece by
 * piece against the parts it would be joined from, without joining them. A line
 * {@link reportLine} made for the same run is known to be, unchecked: comparing its text
 * would first copy it into one piece (~1 µs a line, the run's commonest cost in a store).
 */
export function isReportText(
  runPk: number,
  line: Pick<ReportLine, "at" | "level" | "step" | "message">,
  text: string,
): boolean {
  if (line instanceof EngineLine && line.runPk === runPk && line.text === text) return true;
  const stamp = timestamp(line.at);
  const head = lineHead(runPk, line.level, line.step);
  return (
    text.length === stamp.length + head.length + line.message.length &&
    text.startsWith(stamp) &&
    text.startsWith(head, stamp.length) &&
    text.endsWith(line.message)
  );
}

/** A line head and what it was made from. */
interface Head {
  run: number;
  level: string;
  step: string;
  text: string;
}

// The last two heads made (a chain's lines alternate between two steps: ready, finished).
let recent: Head = { run: -1, level: "", step: "", text: "" };
let older: Head = { run: -1, level: "", step: "", text: "" };

/**
 * ` [REPORT] [12|WorkGraphImperativeEngine|update_task_state]: `, the part of a line between
 * its time and its message. A run's lines mostly share it: the last two are kept, so a line is
 * three strings joined rather than a dozen (each join of two strings is an object to V8).
 */
function lineHead(runPk: number, level: string, step: string): string {
  if (recent.run === runPk && recent.level === level && recent.step === step) return recent.text;
  const other = older;
  older = recent;
  recent = other;
  if (other.run !== runPk || other.level !== level || other.step !== step) {
    other.run = runPk;
    other.level = level;
    other.step = step;
    other.text = ` [${level}] [${runPk}|${ENGINE_LABEL}|${step}]: `;
  }
  return other.text;
}

/** The console methods whose lines a task's output keeps, and the level each line gets. */
const CONSOLE_LEVELS = {
  log: "REPORT",
  info: "REPORT",
  debug: "REPORT",
  warn: "WARNING",
  error: "ERROR",
} as const satisfies Record<string, ReportLine["level"]>;

/**
 * A line a task printed, in the report format with the task in place of the engine:
 * `2026-11-26 16:18:51.123 [REPORT] [13|add|console.log]: hello`.
 */
export function taskOutputLine(
  runPk: number,
  task: { readonly pk: number; readonly name: string },
  method: keyof typeof CONSOLE_LEVELS,
  message: string,
  at = Date.now(),
): ReportLine {
  const level = CONSOLE_LEVELS[method];
  const step = `console.${method}`;
  const text = `${timestamp(at)} [${level}] [${task.pk}|${task.name}|${step}]: ${message}`;
  return { at, level, runPk, step, message, text, task: { pk: task.pk, name: task.name } };
}

/**
 * A list of names for a report, cut after `max` names. `total`: how many there are, when only
 * the first `max` were given (a large batch's names are not all made for a line that cuts).
 */
export function nameList(names: readonly string[], max = 12, total = names.length): string {
  if (total <= max) return names.join(", ");
  return `${names.slice(0, max).join(", ")}, … and ${(total - max).toLocaleString("en")} more`;
}

let lastAt = -1;
let lastStamp = "";

/** `2026-11-26 16:18:51.123` (UTC); many lines share a millisecond, so the last one is kept. */
function timestamp(at: number): string {
  if (at !== lastAt) {
    const date = new Date(at);
    // A stored line may hold any number: it prints as such rather than throwing.
    if (Number.isNaN(date.getTime())) return `invalid time (${String(at)})`;
    lastAt = at;
    lastStamp = date.toISOString().replace("T", " ").replace("Z", "");
  }
  return lastStamp;
}
