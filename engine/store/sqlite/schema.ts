/**
 * The store's tables, as a list of migrations. `PRAGMA user_version` holds how many have been
 * applied; a file with a larger number was written by a newer workgraph and is not opened.
 */

import { CACHE_CODES_MIGRATION_SQL } from "./cache-codes.js";
import { cacheKeySliceSql } from "./cache-key-index.js";
import { CACHE_KEY_GLOB, UUID_GLOB } from "./compact-keys.js";
import { LINE_PLACES_MIGRATION_SQL } from "./finished-lines.js";
import { LABELS_MIGRATION_SQL } from "./link-labels.js";
import { LINK_TYPES_TO_CODES } from "./link-types.js";
import { codesMigrationSql, RUN } from "./node-codes.js";
import { UUID_INDEX_SQL } from "./uuid-index.js";
import { UUID_TIMES_MIGRATION_SQL } from "./uuid-times.js";

/** Marks a file as a workgraph store (`PRAGMA application_id`): "WG" + 1. */
export const APPLICATION_ID = 0x57_47_00_01;

/** One step of the schema, applied once, in a transaction. */
export interface Migration {
  readonly version: number;
  readonly sql: string;
}

/** Every migration, in order; the last one's version is the schema this code writes. */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    sql: `
      CREATE TABLE nodes (
        pk INTEGER PRIMARY KEY,
        uuid TEXT NOT NULL UNIQUE,
        type TEXT NOT NULL,
        kind TEXT,
        name TEXT,
        state TEXT,
        exit_code INTEGER,
        ctime INTEGER NOT NULL,
        mtime INTEGER NOT NULL,
        started_at INTEGER,
        ended_at INTEGER,
        value TEXT,
        attributes TEXT,
        cache_key TEXT
      );
      CREATE INDEX nodes_runs ON nodes (type, ctime) WHERE type = 'run';
      CREATE INDEX nodes_cache_key ON nodes (cache_key) WHERE cache_key IS NOT NULL;
      CREATE TABLE links (
        from_pk INTEGER NOT NULL REFERENCES nodes (pk),
        to_pk INTEGER NOT NULL REFERENCES nodes (pk),
        type TEXT NOT NULL,
        label TEXT NOT NULL
      );
      CREATE INDEX links_from ON links (from_pk, type);
      CREATE INDEX links_to ON links (to_pk, type);
      CREATE TABLE reports (
        run_pk INTEGER NOT NULL REFERENCES nodes (pk),
        at INTEGER NOT NULL,
        level TEXT NOT NULL,
        step TEXT NOT NULL,
        message TEXT NOT NULL,
        -- NULL: the engine's standard format of the other fields (see report-text.ts)
        text TEXT
      );
      CREATE INDEX reports_run ON reports (run_pk);
    `,
  },
  {
    // Uuids and cache keys as the bytes their hex spells (compact-keys.ts).
    version: 2,
    sql: `
      UPDATE nodes SET uuid = unhex(replace(uuid, '-', ''))
        WHERE typeof(uuid) = 'text' AND uuid GLOB '${UUID_GLOB}';
      UPDATE nodes SET cache_key = unhex(replace(cache_key, ':', ''))
        WHERE typeof(cache_key) = 'text' AND cache_key GLOB '${CACHE_KEY_GLOB}';
    `,
  },
  {
    // A task's "finished" report line kept on its row (finished-lines.ts); every line's place.
    version: 3,
    sql: `
      ALTER TABLE nodes ADD COLUMN finished_line INTEGER;
      CREATE TABLE report_order (next INTEGER NOT NULL);
      INSERT INTO report_order (next) SELECT coalesce(max(rowid), 0) + 1 FROM reports;
    `,
  },
  {
    // Attributes many task rows share, stored once (shared-attributes.ts).
    version: 4,
    sql: `CREATE TABLE attribute_texts (ref BLOB PRIMARY KEY, text TEXT NOT NULL UNIQUE) WITHOUT ROWID;`,
  },
  {
    // Link types as one letter each (link-types.ts).
    version: 5,
    sql: `${LINK_TYPES_TO_CODES};`,
  },
  {
    // The cache-key index on a slice of each key (cache-key-index.ts).
    version: 6,
    sql: `
      DROP INDEX nodes_cache_key;
      CREATE INDEX nodes_cache_key ON nodes (${cacheKeySliceSql("cache_key")})
        WHERE cache_key IS NOT NULL;
    `,
  },
  {
    // Node types, kinds and states as one letter each, times as ms after others (node-codes.ts).
    version: 7,
    sql: `
      ${codesMigrationSql()};
      DROP INDEX nodes_runs;
      CREATE INDEX nodes_runs ON nodes (type, ctime) WHERE type = ${RUN};
    `,
  },
  {
    // Derivable link labels left empty (link-labels.ts); cache keys' code hashes stored once
    // (cache-codes.ts).
    version: 8,
    sql: `
      ${LABELS_MIGRATION_SQL};
      ${CACHE_CODES_MIGRATION_SQL};
    `,
  },
  {
    // The uuid index on a slice of each uuid, uniqueness checked per batch (uuid-index.ts). A
    // UNIQUE column's index cannot be dropped: the table is made anew without it (foreign keys
    // are not enforced, so the links and reports naming its pks stay as they are).
    version: 9,
    sql: `
      CREATE TABLE nodes_9 (
        pk INTEGER PRIMARY KEY,
        uuid TEXT NOT NULL,
        type TEXT NOT NULL,
        kind TEXT,
        name TEXT,
        state TEXT,
        exit_code INTEGER,
        ctime INTEGER NOT NULL,
        mtime INTEGER NOT NULL,
        started_at INTEGER,
        ended_at INTEGER,
        value TEXT,
        attributes TEXT,
        cache_key TEXT,
        finished_line INTEGER
      );
      INSERT INTO nodes_9 SELECT pk, uuid, type, kind, name, state, exit_code, ctime, mtime,
        started_at, ended_at, value, attributes, cache_key, finished_line FROM nodes ORDER BY pk;
      DROP TABLE nodes;
      ALTER TABLE nodes_9 RENAME TO nodes;
      ${UUID_INDEX_SQL};
      CREATE INDEX nodes_runs ON nodes (type, ctime) WHERE type = ${RUN};
      CREATE INDEX nodes_cache_key ON nodes (${cacheKeySliceSql("cache_key")})
        WHERE cache_key IS NOT NULL;
    `,
  },
  {
    // A node's ctime as ms after its uuid's time (uuid-times.ts), a task's finished line's
    // place after its pk (finished-lines.ts); from now on a task's long list of sources may be
    // stored as runs (source-runs.ts), which older code cannot read.
    version: 10,
    sql: `
      ${UUID_TIMES_MIGRATION_SQL};
      ${LINE_PLACES_MIGRATION_SQL};
    `,
  },
  {
    // The cache-key index is made by the first lookup by key (cache-key-index.ts).
    version: 11,
    sql: `DROP INDEX IF EXISTS nodes_cache_key;`,
  },
];

/** The schema version this code reads and writes. */
export const SCHEMA_VERSION = MIGRATIONS.length;

/**
 * The oldest schema a reader opens as it is, with no writer to migrate it first: version 7
 * changed how node rows are stored, and reads filter on the stored forms; version 8 how link
 * labels and cache keys are, which reads decode. Version 9 changed only the uuid index: a
 * lookup's whole-uuid match uses the UNIQUE index of a version 8 file. Version 10 changed how
 * `ctime` and a finished line's place are stored (after the uuid's time, the row's pk), which
 * reads decode. Version 11 only dropped the cache-key index, which a lookup by key does
 * without (scanning the tasks) where no writer has made it yet.
 */
export const OLDEST_READABLE_VERSION = 10;
