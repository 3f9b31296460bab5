/**
 * A task's "finished" report line, one per task: a run keeps it as the task and its note, and
 * makes the line (message, timestamped text) only when someone reads the run's report lines.
 */
import type { ReportLine } from "../model/events.js";
import { reportLine } from "../model/report-line.js";
import type { TaskRun } from "./task-run.js";

/** The step of a task's "finished" line. */
export const STEP_FINISHED = "update_task_state";

/** `Task: add1, type: in-process, finished.` */
export function finishedMessage(task: TaskRun, note: string): string {
  return `Task: ${task.name}, type: ${task.definition.kind}, finished${note}.`;
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
