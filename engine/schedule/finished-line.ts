/**
 * A task's "finished" report line, one per task: a run keeps it as the task and its note, and
 * makes the line (message, timestamped text) only when someone reads the run's report lines.
 */
import type { ReportLine } from "../model/events.js";
import { reportLine } from "../model/report-line.js";
import type { TaskRun } from "./task-run.js";

/** The step of a task's "finished" line. */
export const STEP_FINISHED = "update_task_state";

/** `, type: in-process, finished.` by task kind: most messages end so (no note). */
const plainEnds = new Map<string, string>();

/** `Task: add1, type: in-process, finished.` */
export function finishedMessage(task: TaskRun, note: string): string {
  const kind = task.definition.kind;
  if (note !== "") return `Task: ${task.name}, type: ${kind}, finished${note}.`;
  let end = plainEnds.get(kind);
  if (end === undefined) plainEnds.set(kind, (end = `, type: ${kind}, finished.`));
  return "Task: " + task.name + end;
}

/** A task's "finished" line, made into a {@link ReportLine} when first read. */
export class FinishedLine {
  constructor(
    readonly task: TaskRun,
    readonly note: string,
    readonly at: number,
  ) {}

  /** The line as the run reported it. */
  line(runPk: number): ReportLine {
    const message = finishedMessage(this.task, this.note);
    return reportLine(runPk, STEP_FINISHED, message, "REPORT", this.at);
  }
}
