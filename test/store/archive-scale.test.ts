import { statSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { exportArchive, importArchive } from "../../engine/index.js";
import { SqliteStore } from "../../engine/store/sqlite/sqlite-store.js";
import { fillStore } from "../../bench/fill-store.js";
import { useTempHome } from "../support/temp-home.js";

const home = useTempHome();
const stores: SqliteStore[] = [];
afterAll(() => stores.forEach((store) => store.close()));

const TASKS = 50_000;

describe("archives at scale", () => {
  it(`round-trips a run of ${TASKS.toLocaleString("en")} tasks, and a second import adds nothing`, () => {
    const source = new SqliteStore(join(home.scratch(), "source.sqlite"));
    stores.push(source);
    const runPk = fillStore(source, TASKS);
    const file = join(home.path, "big.json");
    const written = exportArchive(file, { store: source });
    expect(written).toEqual(source.counts());
    expect(statSync(file).size).toBeGreaterThan(TASKS * 500);

    const target = new SqliteStore(join(home.scratch(), "target.sqlite"));
    stores.push(target);
    expect(importArchive(file, { store: target })).toEqual({ ...written, existing: 0 });
    expect(target.counts()).toEqual(source.counts());
    // Everything the run holds arrived, in order, with the same uuids.
    const run = source.node(runPk);
    const copy = target.node(run?.uuid ?? "");
    expect(copy).toMatchObject({ name: run?.name, state: run?.state, ctime: run?.ctime });
    expect(target.taskCount(copy?.pk ?? 0)).toBe(TASKS);
    const lines = target.reports(copy?.pk ?? 0);
    expect(lines.map((l) => l.message)).toEqual(source.reports(runPk).map((l) => l.message));
    // The line-by-line dedup of a second import is what used to take quadratic time.
    expect(importArchive(file, { store: target })).toEqual({
      nodes: 0,
      links: 0,
      reports: 0,
      existing: written.nodes,
    });
    expect(target.counts()).toEqual(source.counts());
  }, 600_000);
});
