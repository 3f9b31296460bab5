/**
 * PostgreSQL for tests: the server at 127.0.0.1:5432 (or `WORKGRAPH_TEST_PG`), a uniquely
 * named schema per store, and every schema a test file made dropped after it. A missing
 * server fails the tests that need it; they never skip.
 */
import pg from "pg";
import { afterAll } from "vitest";

/** The database the tests use. */
export const PG_URL = process.env.WORKGRAPH_TEST_PG ?? "postgresql://postgres@127.0.0.1:5432/test";

/** Fresh schema names for this test file, dropped (with what they hold) after it. */
export function usePgSchemas(): { url(schema?: string): string; readonly made: string[] } {
  const base = `wgt_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  const made: string[] = [];
  afterAll(async () => {
    if (made.length === 0) return;
    const client = new pg.Client({ connectionString: PG_URL });
    await client.connect();
    try {
      for (const schema of made) await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    } finally {
      await client.end();
    }
  });
  return {
    made,
    /** The URL of a fresh schema (or of `schema`, made earlier). */
    url(schema?: string) {
      const name = schema ?? `${base}_${made.length + 1}`;
      if (!made.includes(name)) made.push(name);
      return `${PG_URL}?schema=${name}`;
    },
  };
}

/** Runs SQL on the test database (as the superuser), outside any store. */
export async function pgQuery(sql: string, params: unknown[] = []): Promise<pg.QueryResult> {
  const client = new pg.Client({ connectionString: PG_URL });
  await client.connect();
  try {
    return await client.query(sql, params);
  } finally {
    await client.end();
  }
}
