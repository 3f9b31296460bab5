import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { run, task } from "../../engine/index.js";
import { exportArchive } from "../../engine/store/archive/export-archive.js";
import { importArchive } from "../../engine/store/archive/import-archive.js";
import { SqliteStore } from "../../engine/store/sqlite/sqlite-store.js";
import { ArchiveError, StoreOpenError } from "../../engine/store/store-errors.js";
import { useTempHome } from "../support/temp-home.js";

const home = useTempHome();

const double = task(function double(x: number) {
  return 2 * x;
});

describe("files that are not a store", () => {
  function expectUntouched(file: string, open: () => unknown, message: RegExp): void {
    const before = readFileSync(file);
    let error: unknown;
    try {
      open();
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(StoreOpenError);
    expect((error as StoreOpenError).file).toBe(file);
    expect((error as Error).message).toContain(file);
    expect((error as Error).message).toMatch(message);
    expect(readFileSync(file).equals(before)).toBe(true);
  }

  it("a file that is not SQLite: a clear error naming it, the file untouched", () => {
    const file = join(home.scratch(), "notes.sqlite");
    writeFileSync(file, "these are my notes, not a database\n".repeat(200));
    expectUntouched(file, () => new SqliteStore(file), /is not an SQLite database/);
  });

  it("a store written by a newer workgraph: a clear error, the file untouched", () => {
    const file = join(home.scratch(), "newer.sqlite");
    const store = new SqliteStore(file);
    store.addNode({ type: "data", uuid: crypto.randomUUID(), kind: "Int", value: 1, ctime: 0 });
    store.close();
    const db = new Database(file);
    db.pragma("user_version = 99");
    db.pragma("journal_mode = DELETE");
    db.close();
    expectUntouched(
      file,
      () => new SqliteStore(file),
      /schema version is 99, newer than this version of workgraph knows \(11\)/,
    );
  });

  it("an SQLite database of another application: a clear error, the file untouched", () => {
    const file = join(home.scratch(), "other.sqlite");
    const db = new Database(file);
    db.exec("CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT)");
    db.close();
    expectUntouched(file, () => new SqliteStore(file), /another application \(tables: customers\)/);
  });
});

describe("archives that cannot be imported", () => {
  let store: SqliteStore;
  let good: string;
  let before: ReturnType<SqliteStore["counts"]>;

  beforeAll(async () => {
    store = new SqliteStore(join(home.scratch(), "store.sqlite"));
    await run(async (x: number) => ({ y: double(x).result }), { x: 21 }, { store, log: false });
    good = join(home.path, "good.json");
    exportArchive(good, { store });
    before = store.counts();
  });
  afterAll(() => store.close());

  function archiveWith(name: string, edit: (archive: Record<string, unknown>) => void): string {
    const archive = JSON.parse(readFileSync(good, "utf8")) as Record<string, unknown>;
    // Fresh uuids, so that nothing of it is in the store yet.
    const uuids = new Map<string, string>();
    const uuid = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;
    const text = JSON.stringify(archive).replace(uuid, (old) => {
      if (!uuids.has(old)) uuids.set(old, crypto.randomUUID());
      return uuids.get(old) as string;
    });
    const fresh = JSON.parse(text) as Record<string, unknown>;
    edit(fresh);
    const file = join(home.path, name);
    writeFileSync(file, JSON.stringify(fresh));
    return file;
  }

  function expectRefused(file: string, message: RegExp): void {
    let error: unknown;
    try {
      importArchive(file, { store });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ArchiveError);
    expect((error as Error).message).toContain(file);
    expect((error as Error).message).toMatch(message);
    expect(store.counts()).toEqual(before);
  }

  it("not JSON", () => {
    const file = join(home.path, "broken.json");
    writeFileSync(file, readFileSync(good, "utf8").slice(0, 200));
    expectRefused(file, /is not JSON/);
  });

  it("another version", () => {
    expectRefused(
      archiveWith("v2.json", (a) => (a.version = 2)),
      /has version 2, but this version of workgraph reads version 1/,
    );
  });

  it("the wrong shape", () => {
    expectRefused(
      archiveWith("shape.json", (a) => (a.nodes = [{ uuid: 1 }])),
      /is not a workgraph archive/,
    );
  });

  it("a link to a node neither in the archive nor in the store", () => {
    const file = archiveWith("dangling.json", (a) => {
      const links = a.links as { to: string }[];
      links[links.length - 1]!.to = "00000000-0000-4000-8000-000000000000";
    });
    expectRefused(
      file,
      /whose target node 00000000-0000-4000-8000-000000000000 is neither in the archive nor in the store/,
    );
  });

  it("a node the store holds with another type", () => {
    const archive = JSON.parse(readFileSync(good, "utf8")) as {
      nodes: { type: string; value?: unknown; name?: string }[];
    };
    const data = archive.nodes.find((n) => n.type === "data")!;
    data.type = "task";
    data.name = "impostor";
    const file = join(home.path, "clash.json");
    writeFileSync(file, JSON.stringify(archive));
    expectRefused(file, /as a task node, but the store holds it as a data node/);
  });

  it("the same node twice", () => {
    const file = archiveWith("twice.json", (a) =>
      (a.nodes as unknown[]).push((a.nodes as unknown[])[0]),
    );
    expectRefused(file, /node [0-9a-f-]+ appears twice/);
  });

  it("a failure half-way through the writes leaves the store as it was", () => {
    const file = archiveWith("late-failure.json", () => {});
    // The file's own database refuses the report lines: the nodes and links are in by then.
    const db = new Database(store.file);
    db.exec(`CREATE TRIGGER full_disk BEFORE INSERT ON reports
             BEGIN SELECT RAISE(ABORT, 'disk full'); END`);
    expect(() => importArchive(file, { store })).toThrow("disk full");
    expect(store.counts()).toEqual(before);
    db.exec("DROP TRIGGER full_disk");
    db.close();
    expect(importArchive(file, { store })).toMatchObject({ existing: 0 });
    expect(store.counts().nodes).toBe(before.nodes * 2);
  });
});
