/**
 * Applies one batch of writes in one transaction: each table's rows in one INSERT over
 * `unnest` of column arrays (any number of rows, one round trip each), changes to stored rows
 * in one UPDATE. The batch's number is recorded in the same transaction, so a batch resent
 * after a lost connection (when the COMMIT's answer never came) is not applied twice.
 */
import type pg from "pg";
import { parseCanonicalJson } from "../canonical-json.js";
import { attributesText } from "../sqlite/attributes-text.js";
import type { RowUpdate, WriteBatch } from "./pg-protocol.js";

const INSERT_NODES = `INSERT INTO nodes (pk, uuid, type, kind, name, state, exit_code, ctime, mtime,
    started_at, ended_at, value, attributes, cache_key)
  SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[],
    $7::integer[], $8::bigint[], $9::bigint[], $10::bigint[], $11::bigint[], $12::text[],
    $13::text[], $14::text[])`;

const INSERT_LINKS = `INSERT INTO links (from_pk, to_pk, type, label)
  SELECT f, t, ty, l FROM unnest($1::bigint[], $2::bigint[], $3::text[], $4::text[])
    WITH ORDINALITY AS u(f, t, ty, l, n) ORDER BY n`;

const INSERT_REPORTS = `INSERT INTO reports (run_pk, at, level, step, message, text)
  SELECT r, a, lv, s, m, tx FROM unnest($1::bigint[], $2::bigint[], $3::text[], $4::text[],
    $5::text[], $6::text[]) WITH ORDINALITY AS u(r, a, lv, s, m, tx, n) ORDER BY n`;

const UPDATE_NODES = `UPDATE nodes AS n SET mtime = u.mtime,
    state = coalesce(u.state, n.state), exit_code = coalesce(u.exit_code, n.exit_code),
    started_at = coalesce(u.started_at, n.started_at), ended_at = coalesce(u.ended_at, n.ended_at),
    attributes = CASE WHEN u.patched THEN u.attributes ELSE n.attributes END,
    cache_key = CASE WHEN u.sets_key THEN u.cache_key ELSE n.cache_key END
  FROM unnest($1::bigint[], $2::bigint[], $3::text[], $4::integer[], $5::bigint[], $6::bigint[],
    $7::boolean[], $8::text[], $9::boolean[], $10::text[])
    AS u(pk, mtime, state, exit_code, started_at, ended_at, patched, attributes, sets_key, cache_key)
  WHERE n.pk = u.pk AND n.type != 'data'`;

/** Batches that follow each other as one (rows in order; the last one's number). */
export function mergeBatches(batches: readonly WriteBatch[]): WriteBatch {
  if (batches.length === 1) return batches[0] as WriteBatch;
  return {
    seq: Math.max(...batches.map((b) => b.seq)),
    nodes: batches.flatMap((b) => b.nodes),
    links: batches.flatMap((b) => b.links),
    reports: batches.flatMap((b) => b.reports),
    updates: batches.flatMap((b) => b.updates),
  };
}

/**
 * Applies `batch`; when it is sent `again` (after a lost connection), first checks whether
 * this writer applied it already. Whether it was applied now.
 */
export async function applyBatch(
  client: pg.Client,
  writer: string,
  batch: WriteBatch,
  again = false,
): Promise<boolean> {
  await client.query("BEGIN");
  try {
    if (again) {
      const done = await client.query<{ seq: number }>(
        "SELECT seq FROM write_batches WHERE writer = $1",
        [writer],
      );
      if ((done.rows[0]?.seq ?? 0) >= batch.seq) {
        await client.query("ROLLBACK");
        return false;
      }
    }
    await insertNodes(client, batch);
    await insertLinks(client, batch);
    await insertReports(client, batch);
    await updateNodes(client, batch.updates);
    await client.query(
      `INSERT INTO write_batches (writer, seq, at) VALUES ($1, $2, $3)
       ON CONFLICT (writer) DO UPDATE SET seq = excluded.seq, at = excluded.at`,
      [writer, batch.seq, Date.now()],
    );
    await client.query("COMMIT");
    return true;
  } catch (error) {
    await client.query("ROLLBACK").catch(() => {});
    throw error;
  }
}

async function insertNodes(client: pg.Client, batch: WriteBatch): Promise<void> {
  const n = batch.nodes;
  if (n.length === 0) return;
  await client.query(INSERT_NODES, [
    n.map((r) => r.pk),
    n.map((r) => r.uuid),
    n.map((r) => r.type),
    n.map((r) => r.kind),
    n.map((r) => r.name),
    n.map((r) => r.state),
    n.map((r) => r.exitCode),
    n.map((r) => r.ctime),
    n.map((r) => r.mtime),
    n.map((r) => r.startedAt),
    n.map((r) => r.endedAt),
    n.map((r) => r.value),
    n.map((r) => r.attributes),
    n.map((r) => r.cacheKey),
  ]);
}

async function insertLinks(client: pg.Client, batch: WriteBatch): Promise<void> {
  const l = batch.links;
  if (l.length === 0) return;
  await client.query(INSERT_LINKS, [
    l.map((r) => r.from),
    l.map((r) => r.to),
    l.map((r) => r.type),
    l.map((r) => r.label),
  ]);
}

async function insertReports(client: pg.Client, batch: WriteBatch): Promise<void> {
  const r = batch.reports;
  if (r.length === 0) return;
  await client.query(INSERT_REPORTS, [
    r.map((x) => x.runPk),
    r.map((x) => x.at),
    r.map((x) => x.level),
    r.map((x) => x.step),
    r.map((x) => x.message),
    r.map((x) => x.text),
  ]);
}

/** Changes to stored rows; attribute patches are merged into the stored attributes here. */
async function updateNodes(client: pg.Client, updates: readonly RowUpdate[]): Promise<void> {
  if (updates.length === 0) return;
  const folded = fold(updates);
  const patched = folded.filter((u) => u.patch !== null).map((u) => u.pk);
  const stored = new Map<number, string | null>();
  if (patched.length > 0) {
    const found = await client.query<{ pk: number; attributes: string | null }>(
      "SELECT pk, attributes FROM nodes WHERE pk = ANY($1) FOR UPDATE",
      [patched],
    );
    for (const row of found.rows) stored.set(row.pk, row.attributes);
  }
  const merged = folded.map((u) => {
    if (u.patch === null) return null;
    const before = stored.get(u.pk);
    const current =
      typeof before === "string" ? (parseCanonicalJson(before) as Record<string, unknown>) : {};
    return attributesText({ ...current, ...(parseCanonicalJson(u.patch) as object) });
  });
  await client.query(UPDATE_NODES, [
    folded.map((u) => u.pk),
    folded.map((u) => u.mtime),
    folded.map((u) => u.state),
    folded.map((u) => u.exitCode),
    folded.map((u) => u.startedAt),
    folded.map((u) => u.endedAt),
    folded.map((u) => u.patch !== null),
    merged,
    folded.map((u) => u.setsCacheKey),
    folded.map((u) => u.cacheKey),
  ]);
}

/** One change per row (an UPDATE … FROM touches a row once): later fields win, patches merge. */
function fold(updates: readonly RowUpdate[]): RowUpdate[] {
  const byPk = new Map<number, RowUpdate>();
  for (const u of updates) {
    const earlier = byPk.get(u.pk);
    if (earlier === undefined) {
      byPk.set(u.pk, u);
      continue;
    }
    const patch =
      earlier.patch !== null && u.patch !== null
        ? attributesText({
            ...(parseCanonicalJson(earlier.patch) as object),
            ...(parseCanonicalJson(u.patch) as object),
          })
        : (u.patch ?? earlier.patch);
    byPk.set(u.pk, {
      pk: u.pk,
      mtime: u.mtime,
      state: u.state ?? earlier.state,
      exitCode: u.exitCode ?? earlier.exitCode,
      startedAt: u.startedAt ?? earlier.startedAt,
      endedAt: u.endedAt ?? earlier.endedAt,
      patch,
      setsCacheKey: u.setsCacheKey || earlier.setsCacheKey,
      cacheKey: u.setsCacheKey ? u.cacheKey : earlier.cacheKey,
    });
  }
  return [...byPk.values()];
}
