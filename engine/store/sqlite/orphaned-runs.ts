/**
 * Runs whose process died (SIGKILL, power loss) stay CREATED, RUNNING or WAITING in the file
 * forever unless someone notices. Each run records its owner (pid and host); when a store opens,
 * runs of this host whose owner is gone are marked KILLED, with their unfinished tasks.
 * Submitted (`durable`) runs are left alone: the next daemon continues them.
 */
import { hostname } from "node:os";
import type Database from "better-sqlite3";
import { RunCancelledError } from "../../model/errors.js";
import { serialiseError } from "../../model/error-serialisation.js";
import { ExitCode } from "../../model/states.js";
import { reportLine } from "../../model/report-line.js";
import * as messages from "../messages.js";
import { LinePlaces } from "./finished-lines.js";
import { CALL } from "./link-types.js";
import { RUN, statesSql } from "./node-codes.js";
import { attributesSql } from "./shared-attributes.js";
import { isBusy } from "./busy.js";
import { ctimeSql } from "./uuid-times.js";

/** Who runs a run: stored in its attributes as `owner`. */
export interface Owner {
  readonly pid: number;
  readonly host: string;
}

/** The owner this process writes into the runs it creates. */
export function currentOwner(): Owner {
  return { pid: process.pid, host: hostname() };
}

/** Whether a process of this host is still alive. */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** A run's states while its process may still run it, and the state it is marked, as stored. */
const OPEN_RUN = statesSql(["CREATED", "RUNNING", "WAITING"]);
const KILLED = statesSql(["KILLED"]);

interface OpenRun {
  readonly pk: number;
  readonly name: string;
  readonly attributes: string | null;
}

/** Marks KILLED the unfinished runs (and tasks) whose process is gone; returns their pks. */
export function killOrphanedRuns(db: Database.Database): number[] {
  const open = db
    .prepare<[], OpenRun>(
      `SELECT pk, name, attributes FROM nodes WHERE type = ${RUN} AND state IN (${OPEN_RUN})`,
    )
    .all();
  const host = hostname();
  const orphans = open.flatMap((run) => {
    const owner = ownerOf(run.attributes);
    return owner !== undefined && owner.host === host && !isAlive(owner.pid)
      ? [{ run, owner }]
      : [];
  });
  if (orphans.length === 0) return [];
  const markRun = db.prepare(
    `UPDATE nodes SET state = ${KILLED}, exit_code = ?, ended_at = ? - ${ctimeSql()}, mtime = 0,
       attributes = json_set(coalesce(attributes, '{}'), '$.error', json(?))
     WHERE pk = ? AND state IN (${OPEN_RUN})`,
  );
  const markTasks = db.prepare(
    `UPDATE nodes SET state = ${KILLED}, ended_at = ? - ${ctimeSql()}, mtime = 0,
       attributes = json_set(coalesce(${attributesSql("attributes")}, '{}'), '$.error', json(?))
     WHERE pk IN (SELECT to_pk FROM links WHERE from_pk = ? AND type = ${CALL})
       AND state IN (${statesSql(["PLANNED", "RUNNING"])})`,
  );
  const report = db.prepare(
    "INSERT INTO reports (rowid, run_pk, at, level, step, message, text) VALUES (?, ?, ?, ?, ?, ?, ?)",
  );
  const places = new LinePlaces(db);
  const killed: number[] = [];
  const mark = db.transaction(() => {
    const now = Date.now();
    for (const { run, owner } of orphans) {
      const reason = messages.processGone(owner.pid, owner.host);
      const error = JSON.stringify(withoutStack(new RunCancelledError(run.name, reason)));
      // Another process opening the file at the same time may have marked it already.
      if (markRun.run(ExitCode.KILLED, now, error, run.pk).changes === 0) continue;
      markTasks.run(now, error, run.pk);
      const line = reportLine(
        run.pk,
        "on_kill",
        messages.markedKilled(run.name, owner.pid, owner.host),
        "WARNING",
        now,
      );
      report.run(places.take(1), run.pk, line.at, line.level, line.step, line.message, line.text);
      killed.push(run.pk);
    }
  });
  try {
    mark.immediate();
  } catch (error) {
    // Another process holds the lock for long: the next store to open marks them.
    if (!isBusy(error)) throw error;
    return [];
  }
  return killed;
}

function ownerOf(attributes: string | null): Owner | undefined {
  if (attributes === null) return undefined;
  try {
    const parsed = JSON.parse(attributes) as { owner?: Partial<Owner>; durable?: unknown };
    if (parsed.durable === true) return undefined;
    const owner = parsed.owner;
    return typeof owner?.pid === "number" && typeof owner.host === "string"
      ? { pid: owner.pid, host: owner.host }
      : undefined;
  } catch {
    return undefined;
  }
}

/** The stack would point into the store's opening code, which says nothing about the kill. */
function withoutStack(error: Error): object {
  const { stack: _stack, ...rest } = serialiseError(error);
  return rest;
}
