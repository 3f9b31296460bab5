/**
 * Runs whose process died stay unfinished unless someone notices: when a store opens, the
 * unfinished runs of this host whose owner process is gone are marked KILLED, with their
 * unfinished tasks (as the SQLite store does; other hosts' runs are left to their own hosts, and
 * submitted runs to the next daemon).
 */
import type pg from "pg";
import { RunCancelledError } from "../../model/errors.js";
import { serialiseError } from "../../model/error-serialisation.js";
import { reportLine } from "../../model/report-line.js";
import { ExitCode } from "../../model/states.js";
import * as messages from "../messages.js";
import { isAlive } from "../sqlite/orphaned-runs.js";

interface OpenRun {
  readonly pk: number;
  readonly name: string;
  readonly attributes: string | null;
}

/** Marks KILLED the unfinished runs (and tasks) of `host` whose process is gone; their pks. */
export async function killOrphanedRuns(client: pg.Client, host: string): Promise<number[]> {
  const open = await client.query<OpenRun>(
    `SELECT pk, name, attributes FROM nodes
     WHERE type = 'run' AND state IN ('CREATED', 'RUNNING', 'WAITING')`,
  );
  const orphans = open.rows.flatMap((run) => {
    const pid = ownerPid(run.attributes, host);
    return pid !== undefined && !isAlive(pid) ? [{ run, pid }] : [];
  });
  if (orphans.length === 0) return [];
  const killed: number[] = [];
  await client.query("BEGIN");
  try {
    const now = Date.now();
    for (const { run, pid } of orphans) {
      const reason = messages.processGone(pid, host);
      const error = JSON.stringify(withoutStack(new RunCancelledError(run.name, reason)));
      const marked = await client.query(
        `UPDATE nodes SET state = 'KILLED', exit_code = $1, ended_at = $2, mtime = $2,
           attributes = jsonb_set(coalesce(attributes, '{}')::jsonb, '{error}', $3::jsonb)::text
         WHERE pk = $4 AND state IN ('CREATED', 'RUNNING', 'WAITING')`,
        [ExitCode.KILLED, now, error, run.pk],
      );
      // Another process opening the store at the same time may have marked it already.
      if (marked.rowCount === 0) continue;
      await client.query(
        `UPDATE nodes SET state = 'KILLED', ended_at = $1, mtime = $1,
           attributes = jsonb_set(coalesce(attributes, '{}')::jsonb, '{error}', $2::jsonb)::text
         WHERE pk IN (SELECT to_pk FROM links WHERE from_pk = $3 AND type = 'CALL')
           AND state IN ('PLANNED', 'RUNNING')`,
        [now, error, run.pk],
      );
      const line = reportLine(
        run.pk,
        "on_kill",
        messages.markedKilled(run.name, pid, host),
        "WARNING",
        now,
      );
      await client.query(
        "INSERT INTO reports (run_pk, at, level, step, message, text) VALUES ($1, $2, $3, $4, $5, $6)",
        [run.pk, line.at, line.level, line.step, line.message, line.text],
      );
      killed.push(run.pk);
    }
    await client.query("COMMIT");
  } catch (error) {
    await client.query("ROLLBACK").catch(() => {});
    throw error;
  }
  return killed;
}

function ownerPid(attributes: string | null, host: string): number | undefined {
  if (attributes === null) return undefined;
  try {
    const parsed = JSON.parse(attributes) as {
      owner?: { pid?: unknown; host?: unknown };
      durable?: unknown;
    };
    // Submitted runs are left for the next daemon to continue.
    if (parsed.durable === true) return undefined;
    const owner = parsed.owner;
    return typeof owner?.pid === "number" && owner.host === host ? owner.pid : undefined;
  } catch {
    return undefined;
  }
}

/** The stack would point into the store's opening code, which says nothing about the kill. */
function withoutStack(error: Error): object {
  const { stack: _stack, ...rest } = serialiseError(error);
  return rest;
}
