/**
 * The PostgreSQL store's tables, as a list of migrations. `meta.schema_version` holds how many
 * have been applied; a schema with a larger number was written by a newer workgraph and is not
 * opened. Columns mirror the SQLite store's, so rows read back the same. Links and reports
 * carry no foreign keys: the store checks both ends before it writes one, and the keys' checks
 * doubled the time of inserting links (50,000 links of the 10,000-task fan-out: 1.3 s to 0.6 s).
 */

/** One step of the schema, applied once, in a transaction. */
export interface PgMigration {
  readonly version: number;
  readonly sql: string;
}

/** Every migration, in order; the last one's version is the schema this code writes. */
export const PG_MIGRATIONS: readonly PgMigration[] = [
  {
    version: 1,
    sql: `
      CREATE TABLE nodes (
        pk BIGINT PRIMARY KEY,
        uuid TEXT NOT NULL UNIQUE,
        type TEXT NOT NULL,
        kind TEXT,
        name TEXT,
        state TEXT,
        exit_code INTEGER,
        ctime BIGINT NOT NULL,
        mtime BIGINT NOT NULL,
        started_at BIGINT,
        ended_at BIGINT,
        value TEXT,
        attributes TEXT,
        cache_key TEXT
      );
      CREATE INDEX nodes_runs ON nodes (type, ctime) WHERE type = 'run';
      CREATE INDEX nodes_cache_key ON nodes (cache_key) WHERE cache_key IS NOT NULL;
      CREATE TABLE links (
        id BIGSERIAL PRIMARY KEY,
        from_pk BIGINT NOT NULL,
        to_pk BIGINT NOT NULL,
        type TEXT NOT NULL,
        label TEXT NOT NULL
      );
      CREATE INDEX links_from ON links (from_pk, type);
      CREATE INDEX links_to ON links (to_pk, type);
      CREATE TABLE reports (
        id BIGSERIAL PRIMARY KEY,
        run_pk BIGINT NOT NULL,
        at BIGINT NOT NULL,
        level TEXT NOT NULL,
        step TEXT NOT NULL,
        message TEXT NOT NULL,
        text TEXT
      );
      CREATE INDEX reports_run ON reports (run_pk);
      -- pks are handed out in blocks: one row, moved on by each reservation
      CREATE TABLE pk_counter (id INTEGER PRIMARY KEY CHECK (id = 1), next BIGINT NOT NULL);
      INSERT INTO pk_counter VALUES (1, 1);
      -- the last batch of writes each open store committed, so a batch resent after a lost
      -- connection is not applied twice
      CREATE TABLE write_batches (writer TEXT PRIMARY KEY, seq BIGINT NOT NULL, at BIGINT NOT NULL);
    `,
  },
];

/** The schema version this code reads and writes. */
export const PG_SCHEMA_VERSION = PG_MIGRATIONS.length;

/** What marks a schema as a workgraph store, in its `meta` table. */
export const PG_APPLICATION = "workgraph";
