import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { run, task } from "../../engine/index.js";
import { exportArchive } from "../../engine/store/archive/export-archive.js";
import { importArchive } from "../../engine/store/archive/import-archive.js";
import type { ProfileStore } from "../../engine/store/open-profile.js";
import type { ProvenanceReader } from "../../engine/store/reader.js";
import { storeBackends } from "../support/store-backends.js";
import { useTempHome } from "../support/temp-home.js";

const home = useTempHome();
const backends = storeBackends();

const add = task(function add(x: number, y: number) {
  return x + y;
});
const multiply = task(function multiply(x: number, y: number) {
  return x * y;
});
const fail = task(function fail(x: number) {
  throw new RangeError(`too big: ${x}`);
});

async function add_multiply(x: number, y: number) {
  const a = add(x, y);
  const b = multiply(1, a.result);
  return { sum: a.result, product: b.result };
}

/** Everything a store holds, by uuid, so two stores with different pks compare. */
function snapshot(reader: ProvenanceReader) {
  const nodes = reader.allNodes();
  const uuid = new Map(nodes.map((n) => [n.pk, n.uuid]));
  return {
    nodes: nodes.map(({ pk: _pk, ...rest }) => rest).sort((a, b) => a.uuid.localeCompare(b.uuid)),
    links: reader
      .allLinks()
      .map((l) => `${uuid.get(l.from)} ${l.type} ${l.label} ${uuid.get(l.to)}`)
      .sort(),
    reports: nodes
      .filter((n) => n.type === "run")
      .flatMap((n) =>
        reader.reports(n.pk).map(({ runPk: _runPk, ...line }) => ({ run: n.uuid, ...line })),
      ),
  };
}

describe.each(backends.all)("archives of a $name store", (backend) => {
  let source: ProfileStore;
  let file: string;
  let runPk: number;

  beforeAll(async () => {
    source = backend.open();
    const first = run(add_multiply, { x: 3, y: 4 }, { store: source, log: false });
    await first;
    runPk = first.pk;
    await run(
      async (n: bigint) => ({ r: fail(Number(n)).result }),
      { n: 10n },
      { store: source, log: false },
    ).done;
    await run(add_multiply, { x: 1, y: new Date(0).getTime() }, { store: source, log: false });
    file = join(home.path, `all-${backend.name}.json`);
  });
  afterAll(() => source.close());

  it("round-trip into an empty profile: every node, link and report line, uuids kept", () => {
    const written = exportArchive(file, { store: source });
    expect(written).toEqual(source.counts());
    const target = backend.open();
    try {
      const added = importArchive(file, { store: target });
      expect(added).toEqual({ ...source.counts(), existing: 0 });
      expect(snapshot(target)).toEqual(snapshot(source));
      expect(importArchive(file, { store: target })).toEqual({
        nodes: 0,
        links: 0,
        reports: 0,
        existing: written.nodes,
      });
      expect(target.counts()).toEqual(source.counts());
    } finally {
      target.close();
    }
  });

  it("writes a versioned JSON file, one node per line", () => {
    const text = readFileSync(file, "utf8");
    const archive = JSON.parse(text) as { format: string; version: number; nodes: unknown[] };
    expect([archive.format, archive.version]).toEqual(["workgraph-archive", 1]);
    expect(text.split("\n").length).toBeGreaterThan(archive.nodes.length);
    expect(text).toContain('"value":{"$wg":"bigint","v":"10"}');
  });

  it("exports a run with what its provenance needs, and adds only what is missing", () => {
    const one = join(home.path, `one-run-${backend.name}.json`);
    const counts = exportArchive(one, { store: source, pks: [runPk] });
    expect(counts).toEqual({ nodes: 8, links: 12, reports: 5 });
    const sumPk = source.links({ from: runPk, type: "RETURN" })[0]?.to ?? 0;
    const sumOnly = join(home.path, `sum-${backend.name}.json`);
    // A value brings the task that created it, and that task's inputs, not the run.
    expect(exportArchive(sumOnly, { store: source, pks: [sumPk] })).toEqual({
      nodes: 4,
      links: 3,
      reports: 0,
    });
    const target = backend.open();
    try {
      expect(importArchive(sumOnly, { store: target })).toMatchObject({ nodes: 4, existing: 0 });
      expect(importArchive(one, { store: target })).toEqual({
        nodes: 4,
        links: 9,
        reports: 5,
        existing: 4,
      });
      expect(target.counts()).toEqual({ nodes: 8, links: 12, reports: 5 });
    } finally {
      target.close();
    }
  });
});

describe("archives across backends", () => {
  it("go from PostgreSQL to SQLite and back, twice, adding nothing the second time", async () => {
    const postgres = backends.postgresql.open();
    await run(add_multiply, { x: 5, y: 6 }, { store: postgres, log: false });
    await run(
      async (n: bigint) => ({ r: fail(Number(n)).result }),
      { n: 3n },
      { store: postgres, log: false },
    ).done;
    const sqlite = backends.sqlite.open();
    const original = snapshot(postgres);
    const counts = postgres.counts();
    const none = { nodes: 0, links: 0, reports: 0, existing: counts.nodes };
    for (const round of [1, 2]) {
      const out = join(home.path, `pg-to-sqlite-${round}.json`);
      exportArchive(out, { store: postgres });
      const into = importArchive(out, { store: sqlite });
      expect(into).toEqual(round === 1 ? { ...counts, existing: 0 } : none);
      expect(snapshot(sqlite)).toEqual(original);
      const back = join(home.path, `sqlite-to-pg-${round}.json`);
      exportArchive(back, { store: sqlite });
      expect(importArchive(back, { store: postgres })).toEqual(none);
      expect(snapshot(postgres)).toEqual(original);
      expect(sqlite.counts()).toEqual(counts);
      expect(postgres.counts()).toEqual(counts);
    }
    // And into a PostgreSQL store that had none of it: the same rows, uuid for uuid.
    const fresh = backends.postgresql.open();
    const last = join(home.path, "sqlite-to-fresh-pg.json");
    exportArchive(last, { store: sqlite });
    expect(importArchive(last, { store: fresh })).toEqual({ ...counts, existing: 0 });
    expect(snapshot(fresh)).toEqual(original);
  });
});
