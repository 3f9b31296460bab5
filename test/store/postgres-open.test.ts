import { describe, expect, it } from "vitest";
import { PostgresStore } from "../../engine/store/postgres/postgres-store.js";
import { StoreOpenError } from "../../engine/store/store-errors.js";
import { PG_URL, pgQuery, usePgSchemas } from "../support/postgres.js";

const schemas = usePgSchemas();

function schemaOf(url: string): string {
  return new URL(url).searchParams.get("schema") ?? "";
}

describe("opening a PostgreSQL store", () => {
  it("creates its tables with a schema version, and opens them again", async () => {
    const url = schemas.url();
    new PostgresStore(url).close();
    const meta = await pgQuery(`SELECT application, schema_version FROM "${schemaOf(url)}".meta`);
    expect(meta.rows).toEqual([{ application: "workgraph", schema_version: 1 }]);
    const again = new PostgresStore(url);
    expect(again.counts()).toEqual({ nodes: 0, links: 0, reports: 0 });
    again.close();
  });

  it("refuses a schema holding another application's tables, and writes nothing there", async () => {
    const url = schemas.url();
    const schema = schemaOf(url);
    await pgQuery(`CREATE SCHEMA "${schema}"`);
    await pgQuery(`CREATE TABLE "${schema}".invoices (id INTEGER)`);
    expect(() => new PostgresStore(url)).toThrow(StoreOpenError);
    expect(() => new PostgresStore(url)).toThrow(/another application \(invoices\)/);
    const tables = await pgQuery(
      "SELECT table_name FROM information_schema.tables WHERE table_schema = $1",
      [schema],
    );
    expect(tables.rows).toEqual([{ table_name: "invoices" }]);
  });

  it("refuses a schema written by a newer workgraph", async () => {
    const url = schemas.url();
    new PostgresStore(url).close();
    await pgQuery(`UPDATE "${schemaOf(url)}".meta SET schema_version = 99`);
    expect(() => new PostgresStore(url)).toThrow(/schema version is 99, newer than/);
  });

  it("names a server it cannot reach without printing the URL's password", () => {
    const url = `${PG_URL.replace("postgres@", "postgres:hunter2@").replace(":5432", ":1")}?schema=x`;
    let error: unknown;
    try {
      new PostgresStore(url);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(StoreOpenError);
    expect((error as StoreOpenError).file).toBe(
      "postgresql://postgres:***@127.0.0.1:1/test?schema=x",
    );
    expect(String((error as Error).message)).not.toContain("hunter2");
  });
});
