import { join } from "node:path";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import type { LinkRecord } from "../../engine/store/store.js";
import { exportArchive } from "../../engine/store/archive/export-archive.js";
import { importArchive } from "../../engine/store/archive/import-archive.js";
import { CacheCodes } from "../../engine/store/sqlite/cache-codes.js";
import { APPLICATION_ID, MIGRATIONS } from "../../engine/store/sqlite/schema.js";
import { openReadOnly } from "../../engine/store/sqlite/read-only.js";
import { SqliteStore } from "../../engine/store/sqlite/sqlite-store.js";
import { useStoreFiles } from "../support/store-files.js";
import { useTempHome } from "../support/temp-home.js";

const home = useTempHome();
const files = useStoreFiles(home);

const hex = (digit: string) => digit.repeat(32);
const CODE_A = hex("a");
const CODE_B = hex("b");
/** Keys in the engine's form (two sharing a code hash, two sharing an input hash) and not. */
const KEYS: Record<number, string> = {
  2: `${CODE_A}:${hex("1")}`,
  3: `${CODE_A}:${hex("2")}`,
  4: `${CODE_B}:${hex("1")}`,
  5: "code:input",
};
/** Task names by pk ('' is a name too). */
const NAMES: Record<number, string> = { 2: "inc", 3: "inc2", 4: "dbl", 5: "odd", 6: "" };

// Labels that are derivable (a task's name, `result`) and ones that only look so.
const LINKS: LinkRecord[] = [
  { from: 1, to: 2, type: "CALL", label: "inc" },
  { from: 1, to: 3, type: "CALL", label: "not-its-name" },
  { from: 1, to: 4, type: "CALL", label: "dbl" },
  { from: 1, to: 5, type: "CALL", label: "result" },
  { from: 1, to: 6, type: "CALL", label: "" },
  { from: 2, to: 7, type: "CREATE", label: "result" },
  { from: 3, to: 8, type: "CREATE", label: "sum" },
  { from: 4, to: 9, type: "CREATE", label: "" },
  { from: 7, to: 3, type: "INPUT", label: "result" },
  { from: 7, to: 4, type: "INPUT", label: "inc" },
  { from: 1, to: 9, type: "RETURN", label: "result" },
];
const LETTERS = { INPUT: "i", CREATE: "o", CALL: "c", RETURN: "r" } as const;

/** A store file of schema 7 holding a run (pk 1), its tasks (2–6), their values and links. */
function schemaSevenFile(): string {
  const file = join(home.scratch(), "seventh.sqlite");
  const db = new Database(file);
  for (const migration of MIGRATIONS.filter((m) => m.version <= 7)) db.exec(migration.sql);
  const node = db.prepare(
    `INSERT INTO nodes (pk, uuid, type, kind, name, state, ctime, mtime, started_at, ended_at,
       value, cache_key) VALUES (?, ?, ?, ?, ?, ?, 1000, 0, ?, ?, ?, ?)`,
  );
  node.run(1, "node-1", "r", null, "flow", "F", 0, 10, null, null);
  for (const pk of [2, 3, 4, 5, 6]) {
    const key = KEYS[pk];
    const stored =
      key === undefined || pk === 5 ? (key ?? null) : Buffer.from(key.replace(":", ""), "hex");
    node.run(pk, `node-${pk}`, "t", "p", NAMES[pk], "F", 1, 2, null, stored);
  }
  for (const pk of [7, 8, 9])
    node.run(pk, `node-${pk}`, "d", "I", null, null, null, null, "1", null);
  const link = db.prepare("INSERT INTO links (from_pk, to_pk, type, label) VALUES (?, ?, ?, ?)");
  for (const l of LINKS) link.run(l.from, l.to, LETTERS[l.type], l.label);
  db.pragma(`application_id = ${APPLICATION_ID}`);
  db.pragma("user_version = 7");
  db.close();
  return file;
}

/** Each link's stored label and its SQLite type, in write order. */
function storedLabels(file: string): unknown[] {
  const db = new Database(file, { readonly: true });
  try {
    return db
      .prepare("SELECT label, typeof(label) AS type FROM links ORDER BY rowid")
      .all()
      .map((row) => {
        const { label, type } = row as { label: unknown; type: string };
        return type === "blob" ? `blob:${String(label)}` : label;
      });
  } finally {
    db.close();
  }
}

/** The stored cache keys' hex (a key stored as text as it is), by pk, and the code hashes. */
function storedKeys(file: string): { keys: unknown[]; codes: unknown[] } {
  const db = new Database(file, { readonly: true });
  try {
    const keys = db
      .prepare(
        "SELECT CASE typeof(cache_key) WHEN 'blob' THEN lower(hex(cache_key)) ELSE cache_key END FROM nodes ORDER BY pk",
      )
      .pluck()
      .all();
    const codes = db
      .prepare("SELECT lower(hex(ref)) || ' ' || lower(hex(hash)) FROM cache_codes ORDER BY ref")
      .pluck()
      .all();
    return { keys, codes };
  } finally {
    db.close();
  }
}

describe("the SQLite store's link labels and cache keys (schema 8)", () => {
  it("opens a store of schema 7, rewrites its labels and keys, and reads back the same links, keys and cached tasks", () => {
    const file = schemaSevenFile();
    const store = files.keep(new SqliteStore(file));
    expect(store.allLinks()).toEqual(LINKS);
    expect(store.links({ to: 6 })).toEqual([LINKS[4]]);
    for (const link of LINKS) expect(store.hasLink(link)).toBe(true);
    expect(store.hasLink({ from: 1, to: 3, type: "CALL", label: "inc2" })).toBe(false);
    expect(store.hasLink({ from: 4, to: 9, type: "CREATE", label: "result" })).toBe(false);
    for (const [pk, key] of Object.entries(KEYS)) {
      expect(store.node(Number(pk))?.cacheKey).toBe(key);
      expect(store.findFinishedTask(key)?.pk).toBe(Number(pk));
    }
    expect(store.findFinishedTask(`${CODE_A}:${hex("3")}`)).toBeUndefined();
    expect(store.findFinishedTask(`${hex("c")}:${hex("1")}`)).toBeUndefined();
    expect(store.tasks(1).map((t) => t.name)).toEqual(["inc", "inc2", "dbl", "odd", ""]);
    store.close();

    expect(storedLabels(file)).toEqual([
      "",
      "not-its-name",
      "",
      "result",
      "blob:",
      "",
      "sum",
      "blob:",
      "result",
      "inc",
      "result",
    ]);
    expect(storedKeys(file)).toEqual({
      keys: [
        null,
        `${hex("1")}01`,
        `${hex("2")}01`,
        `${hex("1")}02`,
        "code:input",
        null,
        null,
        null,
        null,
      ],
      codes: [`01 ${CODE_A}`, `02 ${CODE_B}`],
    });
    const reader = openReadOnly(file);
    try {
      expect(reader.allLinks()).toEqual(LINKS);
      expect(reader.findFinishedTask(KEYS[3] as string)?.pk).toBe(3);
      expect(reader.node(4)?.cacheKey).toBe(KEYS[4]);
    } finally {
      reader.close();
    }
  });

  it("writes labels and keys in the same forms through the engine's writes, updates and an archive import", () => {
    const file = schemaSevenFile();
    const store = files.keep(new SqliteStore(file));
    const task = store.addNode({
      type: "task",
      uuid: "node-10",
      name: "inc3",
      kind: "in-process",
      state: "FINISHED",
      ctime: 5,
      attributes: { cacheKey: `${CODE_A}:${hex("4")}` },
    });
    const value = store.addNode({ type: "data", uuid: "node-11", kind: "Int", value: 2, ctime: 5 });
    const added: LinkRecord[] = [
      { from: 1, to: task, type: "CALL", label: "inc3" },
      { from: task, to: value, type: "CREATE", label: "result" },
      { from: task, to: value, type: "CREATE", label: "" },
      { from: 1, to: 2, type: "CALL", label: "renamed" },
      { from: value, to: task, type: "INPUT", label: "\u0000" },
      { from: value, to: task, type: "INPUT", label: "\u0000x" },
    ];
    for (const link of added) store.addLink(link);
    store.updateProcess(2, { attributes: { cacheKey: `${hex("d")}:${hex("5")}` } });
    store.flush();
    expect(store.allLinks()).toEqual([...LINKS, ...added]);
    expect(store.node(2)?.cacheKey).toBe(`${hex("d")}:${hex("5")}`);
    expect(store.findFinishedTask(`${hex("d")}:${hex("5")}`)?.pk).toBe(2);
    expect(store.findFinishedTask(KEYS[2] as string)).toBeUndefined();
    expect(store.findFinishedTask(`${CODE_A}:${hex("4")}`)?.pk).toBe(task);
    expect(storedLabels(file).slice(LINKS.length)).toEqual([
      "",
      "",
      "blob:",
      "renamed",
      "\u0000",
      "\u0000x",
    ]);
    const { keys, codes } = storedKeys(file);
    expect(keys[1]).toBe(`${hex("5")}03`);
    expect(keys[9]).toBe(`${hex("4")}01`);
    expect(codes).toEqual([`01 ${CODE_A}`, `02 ${CODE_B}`, `03 ${hex("d")}`]);

    const archive = join(home.scratch(), "links.json");
    exportArchive(archive, { store });
    const target = files.keep(new SqliteStore(join(home.scratch(), "imported.sqlite")));
    importArchive(archive, { store: target });
    const byUuid = (s: SqliteStore) =>
      s.allLinks().map((l) => [s.node(l.from)?.uuid, s.node(l.to)?.uuid, l.type, l.label]);
    expect(byUuid(target)).toEqual(byUuid(store));
    for (const pk of [3, 4, 5, task]) {
      const key = store.node(pk)?.cacheKey as string;
      expect(target.findFinishedTask(key)?.uuid).toBe(`node-${pk}`);
    }
  });

  it("numbers a code hash again after the transaction that stored it rolled back", () => {
    const db = new Database(":memory:");
    try {
      db.exec(MIGRATIONS.map((m) => m.sql).join(";"));
      const codes = new CacheCodes(db);
      const stored = (key: string) => (codes.stored(key) as Buffer).toString("hex");
      const x = `${CODE_A}:${hex("1")}`;
      const y = `${CODE_B}:${hex("2")}`;
      db.exec("BEGIN");
      expect(stored(x)).toBe(`${hex("1")}01`);
      db.exec("ROLLBACK");
      codes.forget();
      db.exec("BEGIN");
      expect(stored(y)).toBe(`${hex("2")}01`);
      expect(stored(x)).toBe(`${hex("1")}02`);
      db.exec("COMMIT");
      codes.forget();
      db.exec("BEGIN");
      expect(stored(y)).toBe(`${hex("2")}01`);
      db.exec("ROLLBACK");
      codes.forget();
      expect(stored(y)).toBe(`${hex("2")}01`);
      expect(codes.stored(`${CODE_A.toUpperCase()}:${hex("1")}`)).toBe(
        `${CODE_A.toUpperCase()}:${hex("1")}`,
      );
      expect(codes.stored(`${CODE_A}:${hex("g")}`)).toBe(`${CODE_A}:${hex("g")}`);
      expect(db.prepare("SELECT count(*) FROM cache_codes").pluck().get()).toBe(2);
    } finally {
      db.close();
    }
  });
});
