/**
 * The report lines of a run: each is written to the store, the log and `events$`, and kept
 * for `reports`. A task's "finished" line is kept as its task until someone reads it.
 */
import type { Subject } from "rxjs";
import type { EngineEvent, ReportLine } from "../model/events.js";
import type { ProvenanceStore } from "../store/store.js";
import { reportLine, taskOutputLine } from "../model/report-line.js";
import type { JobOutput } from "../execute/executor.js";
import type { RunLog } from "./run-log.js";
import { TaskRun } from "./task-run.js";
import { FinishedLine, finishedMessage, STEP_FINISHED } from "./finished-line.js";

/** The report lines of one run. */
export class RunReports {
  /**
   * Report lines so far; a task's "finished" line is kept as its task (at its end time) until
   * asked for, or as a {@link FinishedLine} when it has a note or another time.
   */
  readonly #lines: (ReportLine | FinishedLine | TaskRun)[] = [];

  constructor(
    private readonly run: { readonly pk: number; readonly uuid: string },
    private readonly store: ProvenanceStore,
    private readonly log: RunLog,
    /** The run's events; a line is sent only while someone listens. */
    private readonly events: Subject<EngineEvent>,
  ) {}

  /** The report lines so far. */
  get lines(): readonly ReportLine[] {
    const lines = this.#lines;
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i] as ReportLine | FinishedLine | TaskRun;
      if (line instanceof FinishedLine) lines[i] = line.line(this.run.pk);
      else if (line instanceof TaskRun) {
        lines[i] = new FinishedLine(line, "", line.endedAt as number).line(this.run.pk);
      }
    }
    return lines as ReportLine[];
  }

  /** Writes a report line: to the store, the log, and `events$`. */
  report(step: string, message: string, level: ReportLine["level"] = "REPORT"): void {
    const line = reportLine(this.run.pk, step, message, level);
    this.#lines.push(line);
    this.store.addReport(this.run.pk, line);
    this.log.report?.(line);
    this.#send(line.at, line);
  }

  /** Says that a task finished (`note`: how, when it was reused). */
  finished(task: TaskRun, note: string): void {
    // The time the task's node records as its end: the store may make the line from the node.
    const at = task.endedAt ?? Date.now();
    const line = reportLine(this.run.pk, STEP_FINISHED, finishedMessage(task, note), "REPORT", at);
    this.store.addReport(this.run.pk, line, task.pk);
    this.log.report?.(line);
    this.#send(at, line);
    // One line per task: kept as the task (and its note), not as text, while nobody reads it.
    this.#lines.push(note === "" ? task : new FinishedLine(task, note, at));
  }

  /**
   * Keeps what a task printed: one line per line of text, stored with the task (its report
   * lines), sent to the log and on `events$` as report lines that name the task.
   */
  taskOutput(task: TaskRun, output: JobOutput): void {
    const at = Date.now();
    const text = output.text.endsWith("\n") ? output.text.slice(0, -1) : output.text;
    for (const message of text.split("\n")) {
      const line = taskOutputLine(this.run.pk, task, output.method, message, at);
      this.#lines.push(line);
      this.store.addReport(task.pk, line);
      this.log.print(line);
      this.#send(at, line);
    }
  }

  #send(at: number, line: ReportLine): void {
    if (this.events.observed) this.events.next({ type: "report", run: this.run.uuid, at, line });
  }
}
