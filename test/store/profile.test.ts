import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { run, task } from "../../engine/index.js";
import { defaultStore } from "../../engine/plumbing.js";
import { openProfile, profilePath, workgraphHome } from "../../engine/store/open-profile.js";
import { loadProfile } from "../../engine/store/profile.js";
import { SqliteStore } from "../../engine/store/sqlite/sqlite-store.js";
import { useTempHome } from "../support/temp-home.js";

const home = useTempHome();

const inc = task(function inc(x: number) {
  return x + 1;
});

describe("profiles", () => {
  it("without loadProfile(), runs go to the default profile, opened on first use", async () => {
    expect(existsSync(home.profileFile())).toBe(false);
    const r = run(async () => ({ y: inc(1).result }), {}, { log: false });
    await r;
    expect(defaultStore()).toBeInstanceOf(SqliteStore);
    expect((defaultStore() as SqliteStore).file).toBe(home.profileFile());
    expect((defaultStore() as SqliteStore).node(r.pk)?.state).toBe("FINISHED");
  });

  it("loadProfile(name) opens <home>/<name>/workgraph.sqlite and makes it the default", async () => {
    const profile = loadProfile("project-a");
    expect(profile).toMatchObject({
      name: "project-a",
      path: join(home.path, "project-a", "workgraph.sqlite"),
    });
    expect(defaultStore()).toBe(profile.store);
    const r = run(async () => ({ y: inc(2).result }), {}, { log: false });
    await r;
    expect(profile.store.node(r.pk)?.name).toBeDefined();
    expect(existsSync(profile.path)).toBe(true);
  });

  it("takes a home or a file, and :memory:", () => {
    const elsewhere = home.scratch();
    expect(workgraphHome({ home: elsewhere })).toBe(elsewhere);
    expect(workgraphHome()).toBe(home.path);
    expect(profilePath("p", { home: elsewhere })).toBe(join(elsewhere, "p", "workgraph.sqlite"));
    const file = join(elsewhere, "deep", "folder", "my.sqlite");
    const byFile = openProfile("custom", { file });
    expect(byFile.path).toBe(file);
    expect(existsSync(file)).toBe(true);
    byFile.store.close();
    const memory = loadProfile(":memory:");
    expect(memory.path).toBe(":memory:");
    expect(memory.store.file).toBe(":memory:");
    expect(openProfile("x", { file: ":memory:" }).path).toBe(":memory:");
  });

  it("refuses names that would leave the home", () => {
    for (const name of ["..", ".", "a/b", "../etc", ""]) {
      expect(() => openProfile(name)).toThrow(/Profile names are letters, digits/);
    }
  });
});
