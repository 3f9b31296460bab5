/**
 * The statements of the PostgreSQL broker go as named (prepared) statements: each connection
 * parses and plans one once, then only binds and runs it. BullMQ's backend sends each operation
 * (`move_to_active`, a completion, a stream entry's publish, …) as unnamed SQL, which the
 * server parses and plans again on every call; a stream entry's publish, a bundle's claim and
 * completion are the broker's statements per job, so that planning was paid on each.
 *
 * Every statement text a backend sends comes from a fixed set (BullMQ's command files, and
 * ours), so a name per text is bounded; the name is a hash of the text, so two texts never
 * share one (node-postgres refuses a name prepared with another text).
 */
import { createHash } from "node:crypto";
import { BrokerBackendShapeError } from "./broker-errors.js";

/** A statement as node-postgres takes it: named, prepared once per connection. */
export interface NamedStatement {
  readonly name: string;
  readonly text: string;
}

const named = new Map<string, NamedStatement>();

/** The named statement of `text` (the same object for the same text). */
export function namedStatement(text: string): NamedStatement {
  let statement = named.get(text);
  if (statement === undefined) {
    const name = `wg_${createHash("sha1").update(text).digest("hex").slice(0, 24)}`;
    statement = { name, text };
    named.set(text, statement);
  }
  return statement;
}

/** The part of BullMQ's `PostgresQueueBackend` (6.x) this wraps. */
interface QueryingBackend {
  query(text: string | NamedStatement, params?: readonly unknown[]): Promise<unknown>;
}

/** Makes a PostgreSQL backend send each of its statements named (above). */
export function nameStatements(target: object): void {
  const backend = target as QueryingBackend;
  if (typeof backend.query !== "function") throw new BrokerBackendShapeError("query()");
  const query = backend.query.bind(backend);
  backend.query = (text, params) =>
    query(typeof text === "string" ? namedStatement(text) : text, params);
}
