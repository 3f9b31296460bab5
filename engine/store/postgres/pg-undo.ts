/**
 * Takes out the rows an archive import wrote, in one transaction: the lines and links of the
 * nodes it added go with them; a line or link it added to nodes stored before goes one copy
 * at a time (the newest), so copies stored before it stay.
 */
import type pg from "pg";
import type { UndoRows } from "./pg-protocol.js";

/** Deletes `rows`, the last row of each link or line it names, and the nodes. */
export async function undoRows(client: pg.Client, rows: UndoRows): Promise<void> {
  const added = new Set(rows.nodes);
  await client.query("BEGIN");
  try {
    await client.query("DELETE FROM reports WHERE run_pk = ANY($1)", [rows.nodes]);
    await client.query("DELETE FROM links WHERE from_pk = ANY($1) OR to_pk = ANY($1)", [
      rows.nodes,
    ]);
    for (const line of rows.reports) {
      if (added.has(line.runPk)) continue;
      await client.query(
        `DELETE FROM reports WHERE id = (SELECT max(id) FROM reports
           WHERE run_pk = $1 AND at = $2 AND step = $3 AND message = $4)`,
        [line.runPk, line.at, line.step, line.message],
      );
    }
    for (const link of rows.links) {
      if (added.has(link.from) || added.has(link.to)) continue;
      await client.query(
        `DELETE FROM links WHERE id = (SELECT max(id) FROM links
           WHERE from_pk = $1 AND to_pk = $2 AND type = $3 AND label = $4)`,
        [link.from, link.to, link.type, link.label],
      );
    }
    await client.query("DELETE FROM nodes WHERE pk = ANY($1)", [rows.nodes]);
    await client.query("COMMIT");
  } catch (error) {
    await client.query("ROLLBACK").catch(() => {});
    throw error;
  }
}
