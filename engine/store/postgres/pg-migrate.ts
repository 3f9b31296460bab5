/**
 * Opens a schema as a store: creates or migrates its tables under an advisory lock (so two
 * processes opening at once do not both migrate), and refuses a schema that belongs to another
 * application or to a newer workgraph before writing anything.
 */
import type pg from "pg";
import * as messages from "../messages.js";
import { PG_APPLICATION, PG_MIGRATIONS, PG_SCHEMA_VERSION } from "./pg-schema.js";

/**
 * A key for `pg_advisory_xact_lock`: "WG" + 1, as the SQLite store's application id, with the
 * schema's hash as the second key: opening one store never waits on another schema's.
 */
const MIGRATION_LOCK = 0x57_47_00_01;

/** Why a schema cannot be opened, or undefined when it was opened (and migrated). */
export async function migrate(
  client: pg.Client,
  schema: string,
  shown: string,
): Promise<string | undefined> {
  await client.query("BEGIN");
  try {
    await client.query("SELECT pg_advisory_xact_lock($1, hashtext($2))", [MIGRATION_LOCK, schema]);
    const tables = await client.query<{ name: string }>(
      "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = $1 ORDER BY 1",
      [schema],
    );
    const names = tables.rows.map((row) => row.name);
    let version = 0;
    if (names.length > 0) {
      if (!names.includes("meta")) {
        await client.query("ROLLBACK");
        return messages.notAPgStore(shown, schema, names);
      }
      const meta = await client.query<{ application: string; schema_version: number }>(
        "SELECT application, schema_version FROM meta",
      );
      const row = meta.rows[0];
      if (row === undefined || row.application !== PG_APPLICATION) {
        await client.query("ROLLBACK");
        return messages.notAPgStore(shown, schema, names);
      }
      version = row.schema_version;
    } else {
      await client.query("CREATE TABLE meta (application TEXT NOT NULL, schema_version INTEGER)");
      await client.query("INSERT INTO meta VALUES ($1, 0)", [PG_APPLICATION]);
    }
    if (version > PG_SCHEMA_VERSION) {
      await client.query("ROLLBACK");
      return messages.newerSchema(`${shown} (schema ${schema})`, version, PG_SCHEMA_VERSION);
    }
    for (const migration of PG_MIGRATIONS) {
      if (migration.version > version) await client.query(migration.sql);
    }
    await client.query("UPDATE meta SET schema_version = $1", [PG_SCHEMA_VERSION]);
    await client.query("COMMIT");
    return undefined;
  } catch (error) {
    await client.query("ROLLBACK").catch(() => {});
    throw error;
  }
}
