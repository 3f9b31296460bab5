/**
 * The 10,000-task fan-out/fan-in with full provenance in PostgreSQL, next to SQLite and memory,
 * measured interleaved (one round of each in turn, best of 3). A run's time includes making its
 * rows durable (the store's flush at run end). Each PostgreSQL round writes a fresh schema,
 * dropped after. `WORKGRAPH_BENCH_PG` names the database (default: local `test`).
 * Run: `npm run build && node dist/bench/postgres-store.js`.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import pg from "pg";
import { MemoryStore, run, type ProvenanceStore } from "../engine/index.js";
import { PostgresStore, SqliteStore } from "../engine/plumbing.js";
import { fanOutFanIn } from "./engine-throughput.js";

const TASKS = 10_000;
const ROUNDS = 3;
const DATABASE = process.env.WORKGRAPH_BENCH_PG ?? "postgresql://postgres@127.0.0.1:5432/test";

/** Tasks per second (best of rounds) by store; PostgreSQL undefined when it cannot be reached. */
export interface StoreComparison {
  readonly memory: number;
  readonly sqlite: number;
  readonly postgresql: number | undefined;
  /** Why PostgreSQL was not measured. */
  readonly postgresqlError?: string;
}

async function timed(store: ProvenanceStore): Promise<number> {
  const started = performance.now();
  await run(fanOutFanIn, { n: TASKS }, { store, log: false });
  return (TASKS + 1) / ((performance.now() - started) / 1000);
}

async function dropSchemas(schemas: readonly string[]): Promise<void> {
  const client = new pg.Client({ connectionString: DATABASE });
  await client.connect();
  try {
    for (const schema of schemas) await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  } finally {
    await client.end();
  }
}

/** Interleaved rounds of the fan-out into memory, a SQLite file and a PostgreSQL schema. */
export async function benchPostgresStore(): Promise<StoreComparison> {
  const folder = mkdtempSync(join(tmpdir(), "workgraph-bench-"));
  const schemas: string[] = [];
  const best = { memory: 0, sqlite: 0, postgresql: 0 };
  let postgresqlError: string | undefined;
  try {
    for (let round = 0; round < ROUNDS; round++) {
      best.memory = Math.max(best.memory, await timed(new MemoryStore()));
      const sqlite = new SqliteStore(join(folder, `store-${round}.sqlite`));
      best.sqlite = Math.max(best.sqlite, await timed(sqlite));
      sqlite.close();
      if (postgresqlError !== undefined) continue;
      const schema = `wg_bench_${process.pid}_${round}`;
      schemas.push(schema);
      let store: PostgresStore;
      try {
        store = new PostgresStore(`${DATABASE}?schema=${schema}`);
      } catch (error) {
        postgresqlError = error instanceof Error ? error.message : String(error);
        continue;
      }
      best.postgresql = Math.max(best.postgresql, await timed(store));
      store.close();
    }
  } finally {
    rmSync(folder, { recursive: true, force: true });
    if (postgresqlError === undefined) await dropSchemas(schemas);
  }
  const rounded = (n: number) => Math.round(n);
  return {
    memory: rounded(best.memory),
    sqlite: rounded(best.sqlite),
    postgresql: postgresqlError === undefined ? rounded(best.postgresql) : undefined,
    ...(postgresqlError !== undefined ? { postgresqlError } : {}),
  };
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const figures = await benchPostgresStore();
  const fmt = (n: number | undefined) => (n === undefined ? "-" : n.toLocaleString("en"));
  console.log(
    `fan-out 10,000 tasks/s: memory ${fmt(figures.memory)}, SQLite ${fmt(figures.sqlite)}, PostgreSQL ${fmt(figures.postgresql)}${figures.postgresqlError !== undefined ? ` (${figures.postgresqlError})` : ""}`,
  );
}
