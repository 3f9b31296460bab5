import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import {
  MemoryStore,
  ShellCommandError,
  TaskExitError,
  TaskInputError,
  TaskTimeoutError,
  UnknownOptionError,
  run,
  task,
  waitFor,
  type RunOptions,
} from "../../../engine/index.js";

const options = (store = new MemoryStore()): RunOptions => ({ log: false, store });
const scratch = mkdtempSync(join(tmpdir(), "shell-task-test-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Whether a process with this pid runs: it exists and is no zombie waiting to be reaped. */
function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2)[0] !== "Z";
  } catch {
    return false;
  }
}

describe("task.shell", () => {
  it("runs an executable with argv from its inputs and captures stdout, stderr and the exit code", async () => {
    const echo = task.shell("sh", {
      name: "echo",
      args: ["-c", 'printf "%s|" "$@"; echo oops >&2', "sh", "{greeting}", "{names}", "x={n}"],
    });
    const store = new MemoryStore();
    const r = run(
      async () => {
        // a shell string in an input stays one argument: nothing is interpreted
        const h = echo({ greeting: "hi; rm -rf /", names: ["a b", "c"], n: 3 });
        return { out: h.outputs.stdout, err: h.outputs.stderr, code: h.outputs.exitCode };
      },
      {},
      options(store),
    );
    const results = await r;
    expect(results.out.value).toBe("hi; rm -rf /|a b|c|x=3|");
    expect(results.err.value).toBe("oops\n");
    expect(results.code.value).toBe(0);
    const node = r.graph().tasks[0];
    expect(node?.kind).toBe("shell");
    expect(r.reports.map((l) => l.message)).toContain("Task: echo, type: shell, finished.");
    // provenance: the inputs by name, one node per output
    const links = store.links({ to: node?.pk ?? -1 }).filter((l) => l.type === "INPUT");
    expect(links.map((l) => l.label)).toEqual(["inputs"]);
    const created = store.links({ from: node?.pk ?? -1 }).map((l) => l.label);
    expect(created.sort()).toEqual(["exitCode", "stderr", "stdout"]);
  });

  it("takes futures as inputs, writes input files and stdin, and returns output files", async () => {
    const name = task((x: number) => `out-${x}.txt`, { name: "name" });
    const sortTo = task.shell("sh", {
      name: "sortTo",
      args: ["-c", 'sort data.txt > "$1"; cat > copy.txt', "sh", "{file}"],
      outputFiles: ["result.txt", "copy.txt"],
    });
    const r = run(
      async () => {
        const n = name(1);
        const ignored = sortTo({
          file: n.result,
          files: { "data.txt": "b\na\n" },
          stdin: "typed\n",
        });
        // the file name came from a future; result.txt is not what the command wrote
        await waitFor(ignored).catch(() => undefined);
        const s = sortTo({ file: "result.txt", files: { "data.txt": "b\na\n" }, stdin: "typed\n" });
        return { files: s.outputs.files, first: ignored.state };
      },
      {},
      options(),
    );
    const results = await r;
    expect(results.first.value).toBe("FAILED");
    expect(results.files.value).toEqual({ "result.txt": "a\nb\n", "copy.txt": "typed\n" });
    expect(r.reports.map((l) => l.message).join("\n")).toContain(
      'Task sortTo: the command did not write its output file "result.txt"',
    );
  });

  it("a non-zero exit is FAILED with the code unless declared ok", async () => {
    const grep = task.shell("grep", { args: ["-c", "{pattern}"] });
    const grepOk = task.shell("grep", {
      name: "grepOk",
      args: ["-c", "{pattern}"],
      okExitCodes: [0, 1],
    });
    const store = new MemoryStore();
    const r = run(
      async () => {
        const miss = grep({ pattern: "zzz", stdin: "a\nb\n" });
        const ok = grepOk({ pattern: "zzz", stdin: "a\nb\n" });
        await waitFor(miss).catch(() => undefined);
        const error = miss.task.error as TaskExitError;
        expect(error).toBeInstanceOf(TaskExitError);
        return {
          code: error.exitCode,
          message: error.message,
          okCode: ok.outputs.exitCode,
          okOut: ok.outputs.stdout,
        };
      },
      {},
      options(store),
    );
    const results = await r;
    expect(results.code.value).toBe(1);
    expect(results.message.value).toBe("Task grep: grep exited with code 1");
    expect(results.okCode.value).toBe(1);
    expect(results.okOut.value).toBe("0\n");
    const failed = store.node(r.graph().tasks[0]?.pk ?? -1);
    expect(failed?.state).toBe("FAILED");
    expect(failed && "exitCode" in failed ? failed.exitCode : undefined).toBe(1);
  });

  it("a timeout kills the whole process group, grandchildren included", async () => {
    const pidFile = join(scratch, "grandchild.pid");
    const spawner = task.shell("sh", {
      name: "spawner",
      // the grandchild sleeps in the background; the child waits for it
      args: ["-c", 'sleep 30 & echo $! > "$1"; wait', "sh", "{pidFile}"],
      timeout: 500,
    });
    const r = run(
      async () => {
        const h = spawner({ pidFile });
        await waitFor(h).catch(() => undefined);
        return { error: (h.task.error as Error).name };
      },
      {},
      options(),
    );
    expect((await r).error.value).toBe(new TaskTimeoutError("t", 1).name);
    const grandchild = Number(readFileSync(pidFile, "utf8"));
    expect(grandchild).toBeGreaterThan(0);
    // SIGKILL is delivered at once; the process ends a moment later
    for (let i = 0; i < 100 && alive(grandchild); i++) await new Promise((r) => setTimeout(r, 20));
    expect(alive(grandchild)).toBe(false);
  });

  it("cancelling the run kills the command's group", async () => {
    const pidFile = join(scratch, "cancelled.pid");
    const sleeper = task.shell("sh", {
      name: "sleeper",
      args: ["-c", 'sleep 30 & echo $! > "$1"; wait', "sh", "{f}"],
    });
    const r = run(async () => ({ h: sleeper({ f: pidFile }).result }), {}, options());
    // cancel once the command has started its grandchild (it writes the pid file then)
    while (!existsSync(pidFile) || readFileSync(pidFile, "utf8").trim() === "") {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    r.cancel("enough");
    await r.catch(() => undefined);
    const grandchild = Number(readFileSync(pidFile, "utf8"));
    for (let i = 0; i < 100 && alive(grandchild); i++) await new Promise((r) => setTimeout(r, 20));
    expect(alive(grandchild)).toBe(false);
    expect(r.state).toBe("KILLED");
  });

  it("bad commands and bad inputs are named", async () => {
    expect(() => task.shell("")).toThrow("task.shell(command) needs the executable's name or path");
    expect(() => task.shell("ls", { arg: ["-l"] } as never)).toThrow(UnknownOptionError);
    expect(() => task.shell("ls", { arg: ["-l"] } as never)).toThrow('did you mean "args"');
    expect(() => task.shell("ls", { args: ["{stdin}"] })).toThrow("reserved input name");
    expect(() => task.shell("ls", { outputFiles: ["../x"] })).toThrow("no absolute path, no ..");
    const missing = task.shell("no-such-command-here", { name: "missing" });
    const echo = task.shell("echo", { args: ["{word}"] });
    const r = run(
      async () => {
        const tasks = [
          missing(),
          echo({}),
          echo({ word: "a", wrod: "b" }),
          echo({ word: { a: 1 } }),
        ];
        await waitFor(tasks).catch(() => undefined);
        return {
          errors: tasks.map(
            (t) => `${(t.task.error as Error).name}: ${(t.task.error as Error).message}`,
          ),
        };
      },
      {},
      options(),
    );
    expect((await r).errors.value).toEqual([
      `${new ShellCommandError("", "", "").name}: Task missing: the command "no-such-command-here" could not start: no such executable (looked in PATH)`,
      `${new TaskInputError("", "", "").name}: Task echo: the arguments use {word}, but no input "word" was given; inputs given: (none)`,
      `${new TaskInputError("", "", "").name}: Task echo1: unknown input "wrod"; its arguments use: {word} (and "stdin", "files")`,
      `${new TaskInputError("", "", "").name}: Task echo2: input "word" is a object; a placeholder takes a string, number or boolean (an array fills several arguments when it is a whole argument)`,
    ]);
  });
});
