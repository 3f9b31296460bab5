/** Every message the store shows a user, in one place, as typed functions. */

export const notSqlite = (file: string, detail: string) =>
  `Cannot open the workgraph store ${file}: it is not an SQLite database (${detail}). The file was left untouched.`;

export const notAStore = (file: string, tables: readonly string[]) =>
  `Cannot open ${file} as a workgraph store: it is an SQLite database of another application (tables: ${tables.join(", ")}). The file was left untouched.`;

export const newerSchema = (file: string, found: number, known: number) =>
  `Cannot open the workgraph store ${file}: its schema version is ${found}, newer than this version of workgraph knows (${known}). Upgrade workgraph to read it; the file was left untouched.`;

export const olderSchema = (file: string, found: number, known: number) =>
  `Cannot read the workgraph store ${file} read-only: its schema version is ${found}, older than this version of workgraph reads (${known}). Open it once for writing (any run or import on it) to bring it up to date.`;

export const cannotOpen = (file: string, detail: string) =>
  `Cannot open the workgraph store ${file}: ${detail}`;

export const noNode = (key: number | string) =>
  typeof key === "number" ? `No node with pk ${key}` : `No node with uuid ${key}`;

export const notAProcess = (pk: number) =>
  `Node ${pk} is a data node, not a run or a task (see \`workgraph node show ${pk}\`)`;

/** A task was asked for a picture only a run has. */
export const notARun = (pk: number, name: string) =>
  `Node ${pk} (${name}) is a task, not a run: only runs have a DAG and a timeline`;

export const notQueryable = (store: string) =>
  `The store ${store} cannot be queried: use a profile's store (SqliteStore, PostgresStore) or a MemoryStore`;

export const badProfileName = (name: string) =>
  `Profile names are letters, digits, ".", "_" and "-" (not "." or ".."); got ${JSON.stringify(name)}`;

export const processGone = (pid: number, host: string) =>
  `the process that ran it (pid ${pid} on ${host}) ended before the run did`;

export const markedKilled = (name: string, pid: number, host: string) =>
  `Run ${name} was KILLED: the process that ran it (pid ${pid} on ${host}) ended before the run did; its unfinished tasks were marked KILLED when the store was opened.`;

export const archiveNotJson = (file: string, detail: string) =>
  `The archive ${file} is not JSON (${detail}); nothing was imported.`;

export const archiveBadShape = (file: string, detail: string) =>
  `The archive ${file} is not a workgraph archive: ${detail}; nothing was imported.`;

export const archiveBadRecord = (file: string, record: string, detail: string) =>
  `The archive ${file} is not a workgraph archive: ${record}: ${detail}; nothing was imported.`;

export const archiveChanged = (file: string) =>
  `The archive ${file} changed while it was being imported; nothing was imported. Import it again once it is complete.`;

export const archiveNewerVersion = (file: string, found: unknown, known: number) =>
  `The archive ${file} has version ${JSON.stringify(found)}, but this version of workgraph reads version ${known}; nothing was imported.`;

export const archiveDanglingLink = (
  file: string,
  end: string,
  uuid: string,
  type: string,
  label: string,
) =>
  `The archive ${file} has a ${type} link "${label}" whose ${end} node ${uuid} is neither in the archive nor in the store; nothing was imported.`;

export const archiveDanglingReport = (file: string, uuid: string) =>
  `The archive ${file} has report lines of run ${uuid}, which is neither in the archive nor in the store; nothing was imported.`;

export const archiveTypeClash = (file: string, uuid: string, archived: string, stored: string) =>
  `The archive ${file} holds node ${uuid} as a ${archived} node, but the store holds it as a ${stored} node; nothing was imported.`;

export const archiveUnreadable = (file: string, detail: string) =>
  `Cannot read the archive ${file}: ${detail}`;

export const importNeedsSqlite = () =>
  "importArchive(): archives import into a profile's store (SqliteStore or PostgresStore), not into this store";

export const storeUnavailable = (file: string, waitedMs: number) =>
  `The workgraph store ${file} has been locked by another process for ${(waitedMs / 1000).toFixed(1)} s, so the run was ended. Its rows wait in this process and are written when the lock is released (set WORKGRAPH_STORE_WAIT_MS to wait longer).`;

export const storeClosedWithRowsLost = (file: string, waitedMs: number) =>
  `The workgraph store ${file} was closed while another process held its write lock (waited ${(waitedMs / 1000).toFixed(1)} s); the rows not yet written were dropped.`;

export const serverUnreachable = (store: string, waitedMs: number) =>
  `The workgraph store ${store} has been out of reach for ${(waitedMs / 1000).toFixed(1)} s, so the run was ended. Its rows wait in this process and are written when the server answers again (set WORKGRAPH_STORE_WAIT_MS to wait longer).`;

export const serverClosedWithRowsLost = (store: string, waitedMs: number) =>
  `The workgraph store ${store} was closed while its server was out of reach (waited ${(waitedMs / 1000).toFixed(1)} s); the rows not yet written were dropped.`;

export const writeRefused = (store: string, detail: string) =>
  `The workgraph store ${store} refused a write: ${detail}`;

export const badStorageUrl = (url: string) =>
  `Storage must be "sqlite" or a PostgreSQL URL such as postgresql://user@host:5432/db; got ${JSON.stringify(url)}`;

export const badBrokerUrl = (url: string) =>
  `A broker must be a redis:// or postgresql:// URL; got ${JSON.stringify(url)}`;

export const badSchemaName = (schema: string) =>
  `The schema in a PostgreSQL URL (?schema=) is lower-case letters, digits and "_"; got ${JSON.stringify(schema)}`;

export const notAPgStore = (url: string, schema: string, tables: readonly string[]) =>
  `Cannot open schema ${schema} of ${url} as a workgraph store: it holds tables of another application (${tables.join(", ")}). Nothing was written; name another schema with ?schema=.`;

export const badProfileConfig = (file: string, detail: string) =>
  `The profile file ${file} is not valid: ${detail}`;

export const profileExists = (name: string, file: string) =>
  `Profile ${name} exists already (${file})`;

export const duplicateUuid = (uuid: string) =>
  `UNIQUE constraint failed: nodes.uuid (a node with uuid ${uuid} is stored already)`;
