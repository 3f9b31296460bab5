/**
 * The PostgreSQL thread's one connection: opened on demand with the store's schema on its
 * search path, bigints read as numbers, and dropped when the server goes away so the next use
 * connects again.
 */
import pg from "pg";
import type { WireError } from "./pg-protocol.js";

/** Types as the store reads them: BIGINT (int8, oid 20) as a number, pks being far below 2^53. */
const types = {
  getTypeParser: ((oid: number, format?: "text" | "binary"): unknown =>
    oid === 20
      ? Number
      : (pg.types.getTypeParser(oid, format) as unknown)) as typeof pg.types.getTypeParser,
};

/** A connection that reconnects: `client()` gives the open one or opens a new one. */
export class PgConnection {
  #client: pg.Client | undefined;

  constructor(
    private readonly connectionString: string,
    private readonly schema: string,
  ) {}

  /** The open connection, connecting (and setting the search path) when there is none. */
  async client(): Promise<pg.Client> {
    if (this.#client !== undefined) return this.#client;
    const client = new pg.Client({
      connectionString: this.connectionString,
      types,
      connectionTimeoutMillis: 5_000,
      // Names the schema, so an operator (or a test) can find this store's connections.
      application_name: `workgraph ${this.schema}`.slice(0, 63),
    });
    // A server that goes away emits 'error' on an idle client; the next use reconnects.
    client.on("error", () => this.drop(client));
    client.on("end", () => this.drop(client));
    try {
      await client.connect();
      await client.query(`CREATE SCHEMA IF NOT EXISTS "${this.schema}"`);
      await client.query(`SET search_path TO "${this.schema}"`);
    } catch (error) {
      this.drop(client);
      throw error;
    }
    this.#client = client;
    return client;
  }

  /** Forgets a broken connection (closing it quietly). */
  drop(client = this.#client): void {
    if (client === undefined) return;
    if (this.#client === client) this.#client = undefined;
    client.end().catch(() => {});
  }

  /** Closes the connection. */
  async close(): Promise<void> {
    const client = this.#client;
    this.#client = undefined;
    await client?.end().catch(() => {});
  }
}

// SQLSTATE classes of a server gone or going: connection exception, operator intervention,
// insufficient resources.
const CONNECTION_STATES = /^(08|57P0|53)/;

/** Whether an error means the server was lost (retry later), not that the request was bad. */
export function isConnectionError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === "string" && /^[0-9A-Z]{5}$/.test(code)) return CONNECTION_STATES.test(code);
  // Node's own socket errors (ECONNREFUSED, ECONNRESET, EPIPE…) and the driver's
  // "Connection terminated" ones carry no SQLSTATE.
  if (typeof code === "string" && /^E[A-Z]+$/.test(code)) return true;
  return (
    error instanceof Error &&
    /connection|terminated|timeout|not queryable|ended unexpectedly/i.test(error.message)
  );
}

/** An error as it crosses to the store's thread. */
export function wireError(error: unknown): WireError {
  const e = error instanceof Error ? error : new Error(String(error));
  return { name: e.name, message: e.message, connection: isConnectionError(error) };
}
