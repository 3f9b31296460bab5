import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { run, task } from "../../engine/index.js";
import { openProfile } from "../../engine/store/open-profile.js";
import { root } from "../support/built.js";
import { useTempHome } from "../support/temp-home.js";
import { workgraphCli, type CliResult } from "./support/workgraph-cli.js";

const home = useTempHome();
const workgraph = (...args: string[]): Promise<CliResult> => workgraphCli(home.path, ...args);

/** A stack trace line, which a person should never see for a wrong argument. */
const STACK = /^\s+at /m;

/** Every command and sub-command, read from the help texts themselves. */
async function commandPaths(): Promise<string[][]> {
  const top = await workgraph("--help");
  const names = [...top.stdout.split("commands:\n")[1]!.matchAll(/^ {2}(\S+)/gm)].map((m) => m[1]!);
  const paths: string[][] = [];
  for (const name of names) {
    const help = await workgraph(name, "--help");
    const subs = help.stdout.split("sub-commands:\n")[1];
    if (subs === undefined) paths.push([name]);
    else for (const m of subs.matchAll(/^ {2}(\S+)/gm)) paths.push([name, m[1]!]);
  }
  return paths;
}

let paths: string[][];

beforeAll(async () => {
  paths = await commandPaths();
  const { store } = openProfile("lab");
  await run(async () => ({ one: task(() => 1)().result }), {}, { store, log: false, name: "one" });
  store.close();
}, 120_000);

describe("the workgraph command line", () => {
  it("finds every command and sub-command in the help", () => {
    expect(paths.map((p) => p.join(" "))).toEqual(
      expect.arrayContaining([
        "example",
        "process list",
        "process show",
        "process report",
        "node show",
        "archive export",
        "archive import",
        "kernel install",
        "kernel uninstall",
        "run-notebook",
        "gui",
      ]),
    );
  });

  it("--help of every command: usage, options and an example, exit 0, nothing run", async () => {
    for (const path of paths) {
      const flags = ["--help", "-h"];
      // the two invocations are independent: they run at once
      const results = await Promise.all(flags.map((flag) => workgraph(...path, flag)));
      for (const [i, result] of results.entries()) {
        const line = `${path.join(" ")} ${flags[i]}`;
        expect(result.code, line).toBe(0);
        expect(result.stdout, line).toMatch(new RegExp(`^usage: workgraph ${path.join(" ")}\\b`));
        expect(result.stdout, line).toMatch(/\noptions:\n[\s\S]*-h, --help/);
        expect(result.stdout, line).toMatch(new RegExp(`\\nexamples?:\\n {2}workgraph ${path[0]}`));
        expect(result.stderr, line).toBe("");
      }
    }
  }, 180_000);

  it("example --help shows help and does not run the example", async () => {
    const result = await workgraph("example", "--help");
    expect(result.stdout).not.toContain("=== add_multiply");
    expect(existsSync(home.profileFile("default"))).toBe(false);
  });

  it("an unknown option, anywhere: named, with the usage, exit 2, no stack", async () => {
    for (const path of paths) {
      const result = await workgraph(...path, "--no-such-option");
      const line = path.join(" ");
      expect(result.code, line).toBe(2);
      expect(result.stderr, line).toContain(`workgraph ${line}: unknown option "--no-such-option"`);
      expect(result.stderr, line).toMatch(/\nusage: workgraph /);
      expect(result.stderr, line).not.toMatch(STACK);
    }
  }, 180_000);

  it("run-notebook --bogus and an unknown sub-command name what is wrong", async () => {
    const bogus = await workgraph("run-notebook", "--bogus");
    expect(bogus).toMatchObject({ code: 2, stdout: "" });
    expect(bogus.stderr).toMatch(/^workgraph run-notebook: unknown option "--bogus"\n/);
    const sub = await workgraph("process", "frob");
    expect(sub.code).toBe(2);
    expect(sub.stderr).toContain(
      'unknown sub-command "frob" (one of list, show, report, pause, play, kill, watch)',
    );
    const missing = await workgraph("run-notebook", "no-such.ipynb");
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("FILE no-such.ipynb does not exist");
    const value = await workgraph("process", "list", "--limit");
    expect(value.code).toBe(2);
    expect(value.stderr).toContain("--limit needs a value");
  });

  it("--version prints the package's version", async () => {
    const { version } = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as {
      version: string;
    };
    for (const flag of ["--version", "-V"]) {
      expect(await workgraph(flag)).toMatchObject({ code: 0, stdout: `workgraph ${version}\n` });
    }
  });

  it("a profile that does not exist is an error naming it and the existing ones", async () => {
    const cases = [
      ["process", "list", "--profile", "nope"],
      ["process", "show", "1", "-p", "nope"],
      ["node", "show", "1", "--profile=nope"],
      ["archive", "export", join(home.path, "x.json"), "--profile", "nope"],
      ["gui", "--profile", "nope"],
    ];
    // independent refusals: they run at once
    const results = await Promise.all(cases.map((args) => workgraph(...args)));
    for (const [i, result] of results.entries()) {
      const line = (cases[i] ?? []).join(" ");
      expect(result.code, line).toBe(2);
      expect(result.stderr, line).toContain(`no profile "nope" in ${home.path}`);
      expect(result.stderr, line).toContain("existing profiles: lab");
      expect(existsSync(join(home.path, "nope")), line).toBe(false);
    }
    expect((await workgraph("process", "list", "-p", "lab")).stdout).toContain("1 run\n");
  });

  it("archive export into a folder that does not exist: named, exit 2, no stack", async () => {
    const file = join(home.path, "missing", "folder", "runs.json");
    const result = await workgraph("archive", "export", file, "-p", "lab");
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      `FILE ${file}: its folder ${join(home.path, "missing", "folder")} does not exist`,
    );
    expect(result.stderr).not.toMatch(STACK);
  });
});
