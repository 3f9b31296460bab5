/**
 * PostgreSQL connection URLs: which schema a store lives in (`?schema=`, default `workgraph`),
 * and the URL as shown to people, with its password masked.
 */
import * as messages from "../messages.js";

/** The schema a store uses when its URL names none. */
export const DEFAULT_SCHEMA = "workgraph";

/** A PostgreSQL URL split into what the driver takes and the schema the store uses. */
export interface PostgresLocation {
  /** The URL the driver connects with (without `schema`). */
  readonly connectionString: string;
  /** The schema holding the store's tables. */
  readonly schema: string;
  /** The URL with its password masked, for messages. */
  readonly shown: string;
}

/** Whether `text` is a PostgreSQL URL (`postgresql://` or `postgres://`). */
export function isPostgresUrl(text: string): boolean {
  return /^postgres(ql)?:\/\//i.test(text);
}

/** The URL with any password replaced by `***`; text that is not a URL is returned as it is. */
export function maskUrl(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return text;
  }
  if (url.password !== "") url.password = "***";
  for (const key of [...url.searchParams.keys()]) {
    if (/pass|secret|token/i.test(key)) url.searchParams.set(key, "***");
  }
  return url.toString();
}

/** Splits a PostgreSQL URL; a bad URL or schema name is a TypeError naming it. */
export function parsePostgresUrl(text: string): PostgresLocation {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new TypeError(messages.badStorageUrl(maskUrl(text)));
  }
  if (!isPostgresUrl(text)) throw new TypeError(messages.badStorageUrl(maskUrl(text)));
  const schema = url.searchParams.get("schema") ?? DEFAULT_SCHEMA;
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) {
    throw new TypeError(messages.badSchemaName(schema));
  }
  url.searchParams.delete("schema");
  return { connectionString: url.toString(), schema, shown: maskUrl(text) };
}
