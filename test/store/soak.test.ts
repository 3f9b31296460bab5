import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { exportArchive, queryRuns } from "../../engine/index.js";
import { SqliteStore } from "../../engine/store/sqlite/sqlite-store.js";
import { fillStore } from "../../bench/fill-store.js";
import { startFixture } from "../support/fixture-process.js";
import { useTempHome } from "../support/temp-home.js";

const home = useTempHome();

const WRITERS = 4;
const RUNS = 200;
const TASKS = 50_000;

describe("one profile, five processes", () => {
  it(`${WRITERS} processes write ${RUNS} runs each while a fifth imports a ${TASKS.toLocaleString("en")}-task archive`, async () => {
    const source = new SqliteStore(join(home.scratch(), "source.sqlite"));
    const importedRun = fillStore(source, TASKS);
    const importedUuid = source.node(importedRun)?.uuid ?? "";
    const file = join(home.path, "big.json");
    const written = exportArchive(file, { store: source });
    source.close();

    const writers = Array.from({ length: WRITERS }, () =>
      startFixture("write-runs.ts", [String(RUNS)], home.path),
    );
    const importer = startFixture("import-archive.ts", [file], home.path);
    const imported = await importer.waitForLine(/^imported (.*)$/, 300_000);
    expect(JSON.parse(imported[1] ?? "")).toEqual({ ...written, existing: 0 });
    for (const writer of writers) {
      await writer.waitForLine(/^finished \d+$/, 300_000);
      expect(writer.lines).toEqual([`finished ${RUNS}`]);
    }
    for (const each of [...writers, importer]) expect((await each.exited()).code).toBe(0);

    const store = new SqliteStore(home.profileFile());
    try {
      const runs = queryRuns({ store, name: "soakRun" });
      expect(runs).toHaveLength(WRITERS * RUNS);
      expect(runs.every((r) => r.state === "FINISHED" && r.exitCode === 0)).toBe(true);
      expect(runs.every((r) => r.taskCount() === 2)).toBe(true);
      const copy = store.node(importedUuid);
      expect(store.taskCount(copy?.pk ?? 0)).toBe(TASKS);
      const pks = store.allNodes().map((n) => n.pk);
      expect(new Set(pks).size).toBe(pks.length);
    } finally {
      store.close();
    }
  }, 600_000);
});
