/**
 * PostgreSQL for tests: the server at 127.0.0.1:5432 (or `WORKGRAPH_TEST_PG`), a uniquely
 * named schema per store, and every schema a test file made dropped after it. A missing
 * server fails the tests that need it; they never skip.
 */
import pg from "pg";
import { afterAll } from "vitest";

/** The database the tests use. */
export const PG_URL = process.env.WORKGRAPH_TEST_PG ?? "postgresql://postgres@127.0.0.1:5432/test";

/**
 * Drops a test's schema. A SIGKILLed worker's server sessions may still be finishing a
 * statement on the schema's tables when the test ends, and the drop can then be chosen as a
 * deadlock's victim or wait on their locks: it is tried again for up to 5 s.
 */
export async function dropSchema(client: pg.Client, schema: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      return;
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      // 40P01 deadlock_detected, 55P03 lock_not_available
      if ((code !== "40P01" && code !== "55P03") || attempt === 20) throw error;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
}

/** Fresh schema names for this test file, dropped (with what they hold) after it. */
export function usePgSchemas(): { url(schema?: string): string; readonly made: string[] } {
  const base = `wgt_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  const made: string[] = [];
  afterAll(async () => {
    if (made.length === 0) return;
    const client = new pg.Client({ connectionString: PG_URL });
    await client.connect();
    try {
      for (const schema of made) await dropSchema(client, schema);
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
