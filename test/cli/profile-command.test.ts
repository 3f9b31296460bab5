import { readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { run, task } from "../../engine/index.js";
import type { Profile } from "../../engine/store/open-profile.js";
import { PostgresStore } from "../../engine/store/postgres/postgres-store.js";
import { loadProfile } from "../../engine/store/profile.js";
import { SqliteStore } from "../../engine/store/sqlite/sqlite-store.js";
import { usePgSchemas } from "../support/postgres.js";
import { useTempHome } from "../support/temp-home.js";
import { workgraphCli } from "./support/workgraph-cli.js";

const home = useTempHome();
const schemas = usePgSchemas();
const opened: Profile[] = [];
afterAll(() => {
  for (const profile of opened) profile.store.close();
});

const double = task(function double(x: number) {
  return 2 * x;
});

/** The storage URL with a password in it (trust auth lets any password in). */
function secretUrl(): string {
  return schemas.url().replace("postgres@", "postgres:s3cret-pw@");
}

describe("workgraph profile", () => {
  it("creates a PostgreSQL profile with a broker; list and show mask the password", async () => {
    const storage = secretUrl();
    const created = await workgraphCli(
      home.path,
      "profile",
      "create",
      "lab",
      "--storage",
      storage,
      "--broker",
      "redis://:queue-pw@127.0.0.1:6379",
    );
    expect(created).toMatchObject({ code: 0, stderr: "" });
    const file = join(home.path, "lab", "profile.json");
    expect(JSON.parse(readFileSync(file, "utf8"))).toEqual({
      version: 1,
      storage,
      broker: "redis://:queue-pw@127.0.0.1:6379",
    });
    // It holds passwords: readable by its owner alone.
    expect(statSync(file).mode & 0o077).toBe(0);
    const list = await workgraphCli(home.path, "profile", "list");
    const show = await workgraphCli(home.path, "profile", "show", "lab");
    for (const printed of [created.stdout, list.stdout, show.stdout]) {
      expect(printed).not.toContain("s3cret-pw");
      expect(printed).not.toContain("queue-pw");
      expect(printed).toContain("postgresql://postgres:***@127.0.0.1:5432/test?schema=");
    }
    expect(show.stdout).toMatch(/broker +redis:\/\/:\*\*\*@127\.0\.0\.1:6379/);
    expect(list.stdout).toMatch(/^lab +postgresql:\/\/postgres:\*\*\*@/m);
  });

  it("refuses bad arguments with exit code 2, naming them", async () => {
    const cases: [string[], RegExp][] = [
      [["create", "lab"], /profile "lab" exists already/],
      [
        ["create", "x", "--storage", "mysql://u:pw@h/db"],
        /--storage must be .*mysql:\/\/u:\*\*\*@h/,
      ],
      [["create", "x", "--broker", "ftp://h"], /--broker must be a redis:\/\/ or postgresql:\/\//],
      [["create", "../x"], /Profile names are letters, digits/],
      [["create"], /missing NAME/],
      [["show", "nope"], /no profile "nope"/],
    ];
    // independent refusals: they run at once
    const results = await Promise.all(
      cases.map(([args]) => workgraphCli(home.path, "profile", ...args)),
    );
    for (const [i, result] of results.entries()) {
      const [args, message] = cases[i] as [string[], RegExp];
      expect(result.code, args.join(" ")).toBe(2);
      expect(result.stderr).toMatch(message);
      expect(result.stderr).not.toContain("pw@");
    }
  });

  it("workgraph worker --profile refuses a profile that does not exist or names no broker", async () => {
    const missing = await workgraphCli(home.path, "worker", "--profile", "nope");
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/no profile "nope" in .*existing profiles: .*lab/);
    const plain = await workgraphCli(home.path, "profile", "create", "plain");
    expect(plain.code).toBe(0);
    const noBroker = await workgraphCli(home.path, "worker", "--profile", "plain");
    expect(noBroker.code).toBe(2);
    expect(noBroker.stderr).toMatch(/needs a broker: profile plain names none/);
  });

  it("loadProfile(name) opens the profile's PostgreSQL store; the CLI reads the run there", async () => {
    const profile = loadProfile("lab");
    opened.push(profile);
    expect(profile.store).toBeInstanceOf(PostgresStore);
    expect(profile).toMatchObject({
      storage: "postgresql",
      broker: "redis://:queue-pw@127.0.0.1:6379",
    });
    expect(profile.path).not.toContain("s3cret-pw");
    const r = run(async (x: number) => ({ y: double(x).result }), { x: 21 }, { log: false });
    await r;
    const listed = await workgraphCli(home.path, "process", "list", "-p", "lab");
    expect(listed.code).toBe(0);
    expect(listed.stdout).toMatch(new RegExp(`^ *${r.pk} +flow +FINISHED`, "m"));
    const shown = await workgraphCli(home.path, "process", "show", String(r.pk), "-p", "lab");
    expect(shown.stdout).toContain("double");
  });

  it("leaves the default profile on SQLite, with no server and no configuration", async () => {
    const profile = loadProfile();
    opened.push(profile);
    expect(profile.store).toBeInstanceOf(SqliteStore);
    expect(profile).toMatchObject({ storage: "sqlite", path: home.profileFile() });
    await run(async (x: number) => ({ y: double(x).result }), { x: 1 }, { log: false });
    const list = await workgraphCli(home.path, "profile", "list");
    expect(list.stdout).toMatch(/^default +sqlite +-$/m);
    const show = await workgraphCli(home.path, "profile", "show");
    expect(show.stdout).toContain(`sqlite (${home.profileFile()})`);
  });
});
