import { writeFileSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import fc from "fast-check";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { importArchive, openProfile } from "../../engine/index.js";
import { ArchiveError } from "../../engine/store/store-errors.js";
import { nodeCommand } from "../../cli/commands/node.js";
import { processCommand } from "../../cli/commands/process.js";
import { useTempHome } from "../support/temp-home.js";

const home = useTempHome();
let printed: string[] = [];
beforeEach(() => {
  printed = [];
  const keep = (...parts: unknown[]) => void printed.push(parts.map(String).join(" "));
  vi.spyOn(console, "log").mockImplementation(keep);
  vi.spyOn(console, "error").mockImplementation(keep);
});
afterEach(() => vi.restoreAllMocks());

/** Every view of every node of the profile: each must answer, none may throw. */
async function viewEverything(profile: string): Promise<void> {
  const { store } = openProfile(profile);
  const nodes = store.allNodes().map((n) => ({ pk: String(n.pk), type: n.type }));
  store.close();
  const views: string[][] = [["list", "--profile", profile]];
  for (const { pk, type } of nodes) {
    if (type === "data") views.push(["show", pk, "--profile", profile]);
    else views.push(["show", pk, "--profile", profile], ["report", pk, "--profile", profile]);
  }
  for (const args of views) {
    const command = args[0] === "show" && nodes.find((n) => n.pk === args[1])?.type === "data";
    const code = await (command ? nodeCommand : processCommand).run(args);
    expect(code, `${args.join(" ")}: ${printed.join("\n")}`).toBe(0);
  }
}

// Numbers JSON can hold, the absurd ones first.
const anyNumber = fc.oneof(
  fc.constantFrom(1e300, -1e300, Number.MAX_VALUE, -0, 0.5, 8.64e15 + 1, -1, 2 ** 53),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.integer(),
  fc.constant(Date.now()),
);
const anyText = fc.oneof(fc.string(), fc.constantFrom("FINISHED", "RUNNING", "job", "Int", ""));

const archiveArbitrary = fc
  .array(
    fc.record(
      {
        type: fc.constantFrom("data", "task", "run"),
        kind: anyText,
        name: anyText,
        state: anyText,
        exitCode: anyNumber,
        ctime: anyNumber,
        mtime: anyNumber,
        startedAt: anyNumber,
        endedAt: anyNumber,
        value: fc.jsonValue({ maxDepth: 3 }),
        attributes: fc.dictionary(fc.string(), fc.jsonValue({ maxDepth: 2 })),
        error: fc.jsonValue({ maxDepth: 1 }),
      },
      { requiredKeys: ["type", "ctime", "mtime"] },
    ),
    { minLength: 1, maxLength: 6 },
  )
  .chain((drafts) =>
    fc.record({
      nodes: fc.constant(
        drafts.map((draft) => {
          const { error, attributes, ...node } = draft;
          return {
            uuid: crypto.randomUUID(),
            ...node,
            ...(node.type === "data" ? { value: node.value ?? 1 } : { name: node.name ?? "x" }),
            ...(attributes !== undefined || error !== undefined
              ? { attributes: { ...attributes, ...(error !== undefined ? { error } : {}) } }
              : {}),
          };
        }),
      ),
      links: fc.array(
        fc.record({
          from: fc.nat(drafts.length - 1),
          to: fc.nat(drafts.length - 1),
          type: fc.constantFrom("INPUT", "CREATE", "CALL", "RETURN"),
          label: anyText,
        }),
        { maxLength: 6 },
      ),
      reports: fc.array(
        fc.record({
          run: fc.nat(drafts.length - 1),
          at: anyNumber,
          level: fc.constantFrom("REPORT", "WARNING", "ERROR"),
          step: anyText,
          message: anyText,
          text: anyText,
        }),
        { maxLength: 4 },
      ),
    }),
  );

describe("hostile values never break the views", () => {
  it("process list/show/report and node show answer after importing any schema-valid archive", async () => {
    let count = 0;
    await fc.assert(
      fc.asyncProperty(archiveArbitrary, async ({ nodes, links, reports }) => {
        const profile = `fuzz-${count++}`;
        openProfile(profile).store.close();
        const uuid = (i: number) => (nodes[i] as { uuid: string }).uuid;
        const archive = {
          format: "workgraph-archive",
          version: 1,
          exportedAt: new Date().toISOString(),
          nodes,
          links: links.map((l) => ({ ...l, from: uuid(l.from), to: uuid(l.to) })),
          reports: reports.map((r) => ({ ...r, run: uuid(r.run) })),
        };
        const file = join(home.scratch(), "fuzz.json");
        writeFileSync(file, JSON.stringify(archive));
        const { store } = openProfile(profile);
        try {
          importArchive(file, { store });
        } catch (error) {
          // Refused: the message names the file, and the record or node at fault.
          expect(error).toBeInstanceOf(ArchiveError);
          expect((error as Error).message).toContain(file);
          expect((error as Error).message).toMatch(/nodes|links|reports|node |run /);
          expect(store.counts()).toEqual({ nodes: 0, links: 0, reports: 0 });
        } finally {
          store.close();
        }
        await viewEverything(profile);
      }),
      { numRuns: 40 },
    );
  }, 120_000);

  it("an archive with an absurd time is refused, naming the record and the field", () => {
    const file = join(home.scratch(), "absurd.json");
    const uuid = crypto.randomUUID();
    writeFileSync(
      file,
      JSON.stringify({
        format: "workgraph-archive",
        version: 1,
        exportedAt: "now",
        nodes: [{ uuid, type: "run", name: "r", state: "FINISHED", ctime: 1e300, mtime: 0 }],
        links: [],
        reports: [],
      }),
    );
    const { store } = openProfile("absurd");
    try {
      expect(() => importArchive(file, { store })).toThrow(
        new RegExp(`nodes\\[0\\] \\(uuid ${uuid}\\): ctime must be .*\\(got 1e\\+300\\)`),
      );
      expect(store.counts().nodes).toBe(0);
    } finally {
      store.close();
    }
  });

  it("rows a store holds with any values still show, a bad time printed as such", async () => {
    const { store, path } = openProfile("stored");
    store.close();
    const db = new Database(path);
    const insert = db.prepare(
      `INSERT INTO nodes (pk, uuid, type, kind, name, state, exit_code, ctime, mtime, started_at,
         ended_at, value, attributes) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    insert.run(
      1,
      "r",
      "run",
      null,
      "odd",
      "NOT A STATE",
      1e9,
      1e300,
      -1e300,
      "soon",
      1e300,
      null,
      "{not json",
    );
    insert.run(
      2,
      "t",
      "task",
      "warp",
      "t",
      "FINISHED",
      null,
      -8.64e15 - 1,
      0,
      5,
      -5,
      null,
      '{"error":null}',
    );
    insert.run(3, "d", "data", "Int", null, null, null, 1e300, 0, null, null, "{not json", null);
    insert.run(
      4,
      "e",
      "data",
      "Dict",
      null,
      null,
      null,
      0,
      0,
      null,
      null,
      '{"$wg":"date","v":"x"}',
      null,
    );
    const link = db.prepare("INSERT INTO links (from_pk, to_pk, type, label) VALUES (?, ?, ?, ?)");
    link.run(1, 2, "CALL", "t");
    link.run(3, 2, "INPUT", "x");
    link.run(2, 4, "CREATE", "result");
    db.prepare(
      "INSERT INTO reports (run_pk, at, level, step, message, text) VALUES (?, ?, ?, ?, ?, ?)",
    ).run(1, 1e300, "REPORT", "s", "m", null);
    db.close();
    await viewEverything("stored");
    expect(printed.join("\n")).toMatch(/invalid time \(1e\+300\)/);
  });
});
