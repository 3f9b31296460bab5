/**
 * Where a run's lines go: its report lines, at the level the `log` option asks for, and what
 * its tasks print (`console.log` in a job), which always reaches the caller's output.
 */
import { z } from "zod";
import type { ReportLine } from "../model/events.js";

/** How much of its report a run prints: every line, the run's own lines, or none. */
export type LogLevel = "tasks" | "summary" | false;

/**
 * The `log` option of `run()`: a level, `true` (every line), or a function given every line,
 * what tasks print included.
 */
export type LogOption = LogLevel | true | ((line: ReportLine) => void);

/** The `log` option as `run()` checks it. */
export const logOptionSchema = z.union([
  z.enum(["tasks", "summary"]),
  z.boolean(),
  z.custom<(line: ReportLine) => void>((v) => typeof v === "function", {
    message: 'log must be "tasks", "summary", true, false or a function of a report line',
  }),
]);

/** The sinks of one run. */
export interface RunLog {
  /** Report lines, or undefined when the run keeps quiet. */
  readonly report: ((line: ReportLine) => void) | undefined;
  /** Lines its tasks printed. */
  readonly print: (line: ReportLine) => void;
}

/** Where lines go when `run()` is given no `log`: printed, unless a resolver says. */
type LogResolver = () => ((line: ReportLine) => void) | undefined;

/** The steps that speak of single tasks; a "summary" log leaves their REPORT lines out. */
const TASK_STEPS: ReadonlySet<string> = new Set(["update_task_state", "continue_workgraph"]);

const printLine = (line: ReportLine): void => {
  // what a task printed to stderr stays on stderr
  if (line.task !== undefined && line.level !== "REPORT") console.error(line.text);
  else console.log(line.text);
};
let resolveDefaultLog: LogResolver = () => undefined;

/**
 * Sets where the report lines of runs started without a `log` option go. The resolver is
 * asked at each `run()` call, in the caller's async context, so a kernel can send each run's
 * lines to the cell that started it; when it answers undefined, lines are printed.
 */
export function setDefaultLog(resolver: LogResolver): void {
  resolveDefaultLog = resolver;
}

/** The sinks of a run started now with this `log` option. */
export function runLog(log: LogOption | undefined): RunLog {
  const out = resolveDefaultLog() ?? printLine;
  if (log === false) return { report: undefined, print: out };
  // a function asked for every line: what tasks print too
  if (typeof log === "function") return { report: log, print: log };
  if (log === "summary") {
    return {
      report: (line) => {
        if (line.level !== "REPORT" || !TASK_STEPS.has(line.step)) out(line);
      },
      print: out,
    };
  }
  return { report: out, print: out };
}
