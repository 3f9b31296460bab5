/**
 * A task's "finished" report line (`Task: inc5, type: in-process, finished.`, one per task,
 * the run's most common line) is not a row of `reports`: the task's node row holds its place
 * among the run's lines (`finished_line`), and reads make the line from the row (its name,
 * kind and `ended_at`) and the run that CALLs it. A line is kept so only when that gives back
 * the very line written; any other line is a row. If the task ends again later (a resumed run
 * runs it anew), its line becomes a row first, so it keeps the time it had.
 *
 * Every line's place (a row's rowid, a task's `finished_line`) comes from one counter,
 * `report_order`, taken inside the write transaction: lines of a run keep the order they were
 * written in, across processes. A task row stores its line's place as the difference from its
 * own pk (schema 10): a fan-out's tasks end about in the order they were made, so that is a
 * byte where the place took 3 or 4 ({@link storedLinePlace}).
 */
import type Database from "better-sqlite3";
import type { ReportLine } from "../../model/events.js";
import { isFinishedMessage } from "../finished-message.js";
import { CALL } from "./link-types.js";
import { kindSql } from "./node-codes.js";
import { endedAtSql } from "./uuid-times.js";

/** A task row's `finished_line` as stored: its line's place, less the row's pk. */
export function storedLinePlace(place: number, pk: number): number {
  return place - pk;
}

/** SQL rewriting the `finished_line` of a store of schema 9 as schema 10 stores it. */
export const LINE_PLACES_MIGRATION_SQL = `UPDATE nodes SET finished_line = finished_line - pk
  WHERE finished_line IS NOT NULL`;

/** The step and level of a finished line. */
const STEP = "update_task_state";
const LEVEL = "REPORT";

/** What a task row must hold for its finished line to be made from it. */
export interface FinishedTaskRow {
  readonly type: string;
  readonly name: string | null;
  readonly kind: string | null;
  readonly endedAt: number | null;
}

/** Whether `line` (its text already known to be the standard one) is the row's finished line. */
export function isFinishedLine(row: FinishedTaskRow, line: ReportLine): boolean {
  return (
    row.type === "task" &&
    line.task === undefined &&
    line.level === LEVEL &&
    line.step === STEP &&
    line.at === row.endedAt &&
    isFinishedMessage(line.message, row.name, row.kind)
  );
}

/** The finished line's values, in SQL from `n` (the task) and `l` (its CALL link). */
const VALUES = [
  "n.pk + n.finished_line",
  "l.from_pk",
  endedAtSql("n."),
  `'${LEVEL}'`,
  `'${STEP}'`,
  `'Task: ' || n.name || ', type: ' || ${kindSql("n.kind")} || ', finished.'`,
  "NULL",
];
const NAMES = ["seq", "run_pk", "at", "level", "step", "message", "text"];

/** The finished line's columns (as `reports` names them, its place as `seq`). */
const DERIVED = VALUES.map((value, i) => `${value} AS ${NAMES[i]}`).join(", ");

/** The columns of a stored line, named as {@link DERIVED} names them. */
const STORED = "rowid AS seq, run_pk, at, level, step, message, text";

/** SQL: every line of the run `?` (twice: the run's pk) with its place, rows and made ones. */
export const RUN_LINES_SQL = `SELECT ${STORED} FROM reports WHERE run_pk = ?
  UNION ALL
  SELECT ${DERIVED} FROM links l JOIN nodes n ON n.pk = l.to_pk
    WHERE l.from_pk = ? AND l.type = ${CALL} AND n.finished_line IS NOT NULL`;

/** SQL: every line of the store with its place, rows and made ones. */
export const ALL_LINES_SQL = `SELECT ${STORED} FROM reports
  UNION ALL
  SELECT ${DERIVED} FROM nodes n JOIN links l ON l.to_pk = n.pk AND l.type = ${CALL}
    WHERE n.finished_line IS NOT NULL`;

/** SQL: how many lines the store holds. */
export const LINE_COUNT_SQL = `(SELECT count(*) FROM reports)
  + (SELECT count(*) FROM nodes WHERE finished_line IS NOT NULL)`;

/**
 * SQL (inside the write transaction) making the finished line of task `?` a row, if the task
 * holds one; then its `finished_line` is set to NULL by the caller.
 */
export const LINE_TO_ROW_SQL = `INSERT INTO reports (rowid, run_pk, at, level, step, message, text)
  SELECT ${VALUES.join(", ")}
    FROM nodes n JOIN links l ON l.to_pk = n.pk AND l.type = ${CALL}
    WHERE n.pk = ? AND n.finished_line IS NOT NULL LIMIT 1`;

/** Where lines get their places: the `report_order` counter. */
export class LinePlaces {
  readonly #take: Database.Statement<[number, number], number>;

  constructor(db: Database.Database) {
    // A row written with no place (by hand) still never shares one.
    this.#take = db
      .prepare<[number, number], number>(
        `UPDATE report_order
           SET next = max(next, (SELECT coalesce(max(rowid), 0) + 1 FROM reports)) + ?
           RETURNING next - ?`,
      )
      .pluck();
  }

  /** The first of `count` places, all taken (inside the write transaction). */
  take(count: number): number {
    return this.#take.get(count, count) as number;
  }
}
