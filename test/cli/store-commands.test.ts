import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { beforeAll, describe, expect, it } from "vitest";
import { run, task } from "../../engine/index.js";
import { openProfile } from "../../engine/store/open-profile.js";
import { built, root } from "../support/built.js";
import { useTempHome } from "../support/temp-home.js";

const home = useTempHome();
let cli: string;

interface Result {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

async function workgraph(...args: string[]): Promise<Result> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [cli, ...args], {
      cwd: root,
      env: { ...process.env, WORKGRAPH_HOME: home.path },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

const add = task(function add(x: number, y: number) {
  return x + y;
});
const multiply = task(function multiply(x: number, y: number) {
  return x * y;
});
const broken = task(function broken(x: number) {
  throw new RangeError(`no ${x}`);
});

async function add_multiply(x: number, y: number) {
  const a = add(x, y);
  const b = multiply(1, a.result);
  return { sum: a.result, product: b.result };
}

async function half_broken(x: number) {
  broken(x);
  return { ok: add(x, 1).result };
}

let runPk: number;
let brokenPk: number;
let brokenTaskPk: number;
let sumPk: number;
let sumUuid: string;

beforeAll(async () => {
  cli = built("cli/main.js");
  const { store } = openProfile();
  const r = run(add_multiply, { x: 3, y: 4 }, { store, log: false });
  await r;
  const b = run(half_broken, { x: 1 }, { store, log: false });
  await b.done;
  [runPk, brokenPk] = [r.pk, b.pk];
  brokenTaskPk = store.tasks(brokenPk)[0]?.pk ?? 0;
  const sum = store.links({ from: runPk, type: "RETURN" })[0];
  sumPk = sum?.to ?? 0;
  sumUuid = store.node(sumPk)?.uuid ?? "";
  store.close();
}, 120_000);

describe("workgraph process", () => {
  it("list: a table of runs, newest first, with exit codes and task counts", async () => {
    const { code, stdout } = await workgraph("process", "list");
    expect(code).toBe(0);
    const lines = stdout.trim().split("\n");
    expect(lines[0]).toMatch(/^PK\s+NAME\s+STATE\s+EXIT\s+CREATED\s+TASKS$/);
    expect(lines[1]).toMatch(
      new RegExp(
        `^\\s*${brokenPk}\\s+half_broken\\s+FINISHED\\s+2\\s+\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\s+2$`,
      ),
    );
    expect(lines[2]).toMatch(
      new RegExp(`^\\s*${runPk}\\s+add_multiply\\s+FINISHED\\s+0\\s+.+\\s+2$`),
    );
    expect(lines.at(-1)).toBe("2 runs");
  });

  it("list filters by name and state, and limits", async () => {
    expect((await workgraph("process", "list", "--name", "add_multiply")).stdout).not.toContain(
      "half_broken",
    );
    expect((await workgraph("process", "list", "--state", "killed,excepted")).stdout).toContain(
      "0 runs",
    );
    expect((await workgraph("process", "list", "--limit", "1")).stdout).toContain("1 run\n");
  });

  it("show: a run with its inputs, tasks and results", async () => {
    const { code, stdout } = await workgraph("process", "show", String(runPk));
    expect(code).toBe(0);
    expect(stdout).toContain(`Run add_multiply (pk ${runPk})`);
    expect(stdout).toMatch(/state\s+FINISHED/);
    expect(stdout).toMatch(/x\s+INPUT\s+\d+\s+Int\s+3/);
    expect(stdout).toMatch(
      /Tasks \(2\)[\s\S]*add\s+FINISHED\s+in-process[\s\S]*multiply\s+FINISHED/,
    );
    expect(stdout).toMatch(new RegExp(`sum\\s+RETURN\\s+${sumPk}\\s+Int\\s+7`));
  });

  it("show: a task with its error, inputs and outputs", async () => {
    const { stdout } = await workgraph("process", "show", String(brokenTaskPk));
    expect(stdout).toContain(
      `Task broken (pk ${brokenTaskPk}) of run half_broken (pk ${brokenPk})`,
    );
    expect(stdout).toMatch(/error\s+RangeError: no 1/);
    expect(stdout).toMatch(/Outputs\n {2}\(none\)/);
  });

  it("report: the run's report lines", async () => {
    const { code, stdout } = await workgraph("process", "report", String(runPk));
    expect(code).toBe(0);
    const lines = stdout.trim().split("\n");
    expect(lines).toHaveLength(5);
    expect(lines[1]).toMatch(
      /\[REPORT\] \[\d+\|WorkGraphImperativeEngine\|update_task_state\]: Task: add, type: in-process, finished\.$/,
    );
  });

  it("an unknown pk: a message on stderr, exit code 1", async () => {
    const result = await workgraph("process", "show", "9999");
    expect(result).toMatchObject({ code: 1, stdout: "" });
    expect(result.stderr.trim()).toBe("workgraph process show: No node with pk 9999");
    expect((await workgraph("process", "show", String(sumPk))).stderr).toContain("is a data node");
  });

  it("usage errors: exit code 2 with the usage (a sub-command's own, or the group's)", async () => {
    for (const [args, usage] of [
      [
        ["process", "frobnicate"],
        "usage: workgraph process list [options]\n       workgraph process show PK",
      ],
      [["process", "show", "abc"], "usage: workgraph process show PK [options]\nRun"],
      [["process", "list", "--state", "DONE"], "usage: workgraph process list [options]\nRun"],
    ] as const) {
      const result = await workgraph(...args);
      expect(result.code, args.join(" ")).toBe(2);
      expect(result.stderr, args.join(" ")).toContain(usage);
    }
  });
});

describe("workgraph node", () => {
  it("show: a data node by pk or uuid, with what made, used and returned it", async () => {
    for (const key of [String(sumPk), sumUuid]) {
      const { code, stdout } = await workgraph("node", "show", key);
      expect(code).toBe(0);
      expect(stdout).toContain(`Int (pk ${sumPk})`);
      expect(stdout).toMatch(/value\s+7/);
      expect(stdout).toMatch(/Created by\n {2}task add \(pk \d+\) as result/);
      expect(stdout).toMatch(/Used by\n {2}task multiply \(pk \d+\) as y/);
      expect(stdout).toMatch(
        new RegExp(`Returned by\\n  run add_multiply \\(pk ${runPk}\\) as sum`),
      );
    }
  });

  it("show: a run, and an unknown uuid", async () => {
    expect((await workgraph("node", "show", String(runPk))).stdout).toContain("Run add_multiply");
    const missing = await workgraph("node", "show", "no-such-node");
    expect(missing).toMatchObject({ code: 1 });
    expect(missing.stderr).toContain("No node with uuid no-such-node");
  });
});

describe("workgraph archive", () => {
  it("export and import into another profile; a second import adds nothing", async () => {
    const file = join(home.path, "cli-archive.json");
    const exported = await workgraph("archive", "export", file);
    expect(exported.code).toBe(0);
    const counts = exported.stdout.match(
      /^Exported (\d+ nodes), (\d+ links) and (\d+ report lines) from profile default to /,
    );
    expect(counts).not.toBeNull();
    expect(existsSync(file)).toBe(true);
    const imported = await workgraph("archive", "import", file, "--profile", "copy");
    const [, nodes, links, reports] = counts ?? [];
    expect(imported.stdout).toBe(
      `Imported ${nodes} (0 already present), ${links} and ${reports} from ${file} into profile copy\n`,
    );
    const again = await workgraph("archive", "import", file, "--profile", "copy");
    expect(again.stdout).toMatch(
      /^Imported 0 nodes \(\d+ already present\), 0 links and 0 report lines/,
    );
    expect((await workgraph("process", "list", "-p", "copy")).stdout).toContain("2 runs");
  });

  it("export of given pks; errors for a bad pk and a bad file", async () => {
    const file = join(home.path, "one.json");
    expect((await workgraph("archive", "export", file, String(runPk))).stdout).toMatch(
      /^Exported 8 nodes, 12 links and 5 report lines/,
    );
    expect(await workgraph("archive", "export", file, "9999")).toMatchObject({
      code: 1,
      stderr: "workgraph archive export: No node with pk 9999\n",
    });
    const bad = await workgraph("archive", "import", join(root, "package.json"));
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/is not a workgraph archive/);
    expect((await workgraph("archive", "import")).code).toBe(2);
  });
});
