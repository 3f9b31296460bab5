/**
 * Runs a shell task's command: argv from its placeholders (no shell in between), in a working
 * folder of its own, in a process group of its own, so a timeout or a cancel kills the command
 * and everything it started.
 */
import { spawn } from "node:child_process";
import { mkdtemp, mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { constants } from "node:os";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import {
  ShellCommandError,
  TaskExitError,
  TaskInputError,
  TaskTimeoutError,
} from "../model/errors.js";
import * as messages from "../model/messages.js";
import type { ShellResult, ShellSpec } from "../author/shell-task.js";

/** One run of a command. */
export interface ShellRequest {
  readonly taskName: string;
  readonly spec: ShellSpec;
  /** The task's named inputs. */
  readonly inputs: unknown;
  readonly timeoutMs?: number | undefined;
  /** Aborting kills the command's process group and rejects with `signal.reason`. */
  readonly signal?: AbortSignal;
  readonly onStart?: (pid: number) => void;
}

const PLACEHOLDER = /\{([A-Za-z_$][\w$]*)\}/g;
const WHOLE = /^\{([A-Za-z_$][\w$]*)\}$/;

/** The argv and environment of a call; a TaskInputError names a missing, unknown or bad input. */
export function commandLine(
  taskName: string,
  spec: ShellSpec,
  given: Readonly<Record<string, unknown>>,
): { readonly args: string[]; readonly env: Record<string, string> } {
  const names = Object.keys(given);
  for (const name of names) {
    if (name !== "stdin" && name !== "files" && !spec.placeholders.includes(name)) {
      throw new TaskInputError(
        taskName,
        name,
        messages.shellUnknownInput(taskName, name, spec.placeholders),
      );
    }
  }
  const scalar = (name: string, value: unknown): string => {
    if (!(name in given)) {
      throw new TaskInputError(taskName, name, messages.shellMissingInput(taskName, name, names));
    }
    if (typeof value === "string") return value;
    if (typeof value === "number" || typeof value === "boolean" || typeof value === "bigint") {
      return String(value);
    }
    const what = value === null ? "null" : Array.isArray(value) ? "an array" : `a ${typeof value}`;
    throw new TaskInputError(taskName, name, messages.shellBadInput(taskName, name, what));
  };
  const fill = (text: string) =>
    text.replace(PLACEHOLDER, (_, name: string) => scalar(name, given[name]));
  const args: string[] = [];
  for (const arg of spec.args) {
    const whole = WHOLE.exec(arg)?.[1];
    const value = whole === undefined ? undefined : given[whole];
    if (whole !== undefined && Array.isArray(value)) {
      for (const item of value) args.push(scalar(whole, item));
    } else args.push(fill(arg));
  }
  const env: Record<string, string> = {};
  for (const [key, text] of Object.entries(spec.env)) env[key] = fill(text);
  return { args, env };
}

/** Runs the command; resolves with its outputs, rejects with why it failed. */
export async function runShell(request: ShellRequest): Promise<ShellResult> {
  const { taskName, spec } = request;
  const given = (request.inputs ?? {}) as Readonly<Record<string, unknown>>;
  if (typeof given !== "object" || Array.isArray(given)) {
    throw new TaskInputError(
      taskName,
      "inputs",
      messages.shellBadInput(taskName, "inputs", "not an object of named inputs"),
    );
  }
  const { args, env } = commandLine(taskName, spec, given);
  const stdin = given.stdin;
  if (stdin !== undefined && typeof stdin !== "string") {
    throw new TaskInputError(
      taskName,
      "stdin",
      messages.shellBadInput(taskName, "stdin", typeof stdin),
    );
  }
  const folder = await mkdtemp(join(tmpdir(), "workgraph-shell-"));
  try {
    await writeInputFiles(taskName, folder, given.files);
    const ended = await spawnCommand(request, args, env, folder, stdin);
    const files =
      spec.outputFiles.length > 0 ? await readOutputFiles(taskName, folder, spec) : undefined;
    return { ...ended, ...(files !== undefined ? { files } : {}) };
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}

async function writeInputFiles(taskName: string, folder: string, files: unknown): Promise<void> {
  if (files === undefined) return;
  if (typeof files !== "object" || files === null || Array.isArray(files)) {
    throw new TaskInputError(
      taskName,
      "files",
      messages.shellBadInput(taskName, "files", "not an object of file name to text"),
    );
  }
  for (const [name, text] of Object.entries(files)) {
    if (name.startsWith("/") || name.split(/[\\/]/).includes("..") || typeof text !== "string") {
      throw new TaskInputError(
        taskName,
        `files.${name}`,
        messages.shellBadInput(
          taskName,
          `files.${name}`,
          typeof text !== "string"
            ? `a ${typeof text}, not text`
            : "a path outside the working folder",
        ),
      );
    }
    const path = join(folder, name);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, text);
  }
}

async function readOutputFiles(
  taskName: string,
  folder: string,
  spec: ShellSpec,
): Promise<Record<string, string>> {
  const files: Record<string, string> = {};
  for (const name of spec.outputFiles) {
    try {
      files[name] = await readFile(join(folder, name), "utf8");
    } catch {
      throw new TaskExitError(1, messages.shellMissingFile(taskName, name));
    }
  }
  return files;
}

/** Kills a process group; it may be gone already. */
function killGroup(pid: number): void {
  try {
    process.kill(-pid, "SIGKILL");
  } catch {
    // the group has no process left
  }
}

function spawnCommand(
  request: ShellRequest,
  args: readonly string[],
  env: Readonly<Record<string, string>>,
  cwd: string,
  stdin: string | undefined,
): Promise<Omit<ShellResult, "files">> {
  const { taskName, spec, signal } = request;
  return new Promise((resolve, reject) => {
    if (signal?.aborted === true) {
      reject(signal.reason instanceof Error ? signal.reason : new Error(String(signal.reason)));
      return;
    }
    // a group of its own: a timeout or cancel kills what the command started too
    const child = spawn(spec.command, args, {
      cwd,
      env: { ...process.env, ...env },
      detached: true,
      stdio: ["pipe", "pipe", "pipe"],
    });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    let stopped: Error | undefined;
    let timer: NodeJS.Timeout | undefined;
    const stop = (reason: Error) => {
      stopped ??= reason;
      if (child.pid !== undefined) killGroup(child.pid);
    };
    const onAbort = () =>
      stop(signal?.reason instanceof Error ? signal.reason : new Error(String(signal?.reason)));
    signal?.addEventListener("abort", onAbort, { once: true });
    if (request.timeoutMs !== undefined) {
      const ms = request.timeoutMs;
      timer = setTimeout(() => stop(new TaskTimeoutError(taskName, ms)), ms);
    }
    const cleanUp = () => {
      clearTimeout(timer);
      signal?.removeEventListener("abort", onAbort);
    };
    child.stdout.on("data", (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on("data", (chunk: Buffer) => stderr.push(chunk));
    child.stdin.on("error", () => {
      // a command that does not read its input closes the pipe early: not a failure
    });
    child.stdin.end(stdin ?? "");
    child.on("spawn", () => {
      if (child.pid !== undefined) request.onStart?.(child.pid);
    });
    child.on("error", (error: NodeJS.ErrnoException) => {
      cleanUp();
      const reason =
        error.code === "ENOENT"
          ? "no such executable (looked in PATH)"
          : error.code === "EACCES"
            ? "not executable (permission denied)"
            : error.message;
      reject(
        new ShellCommandError(
          taskName,
          spec.command,
          messages.shellNotStarted(taskName, spec.command, reason),
        ),
      );
    });
    child.on("exit", () => {
      // what the command left running in its group ends with it, so pipes close and nothing leaks
      if (child.pid !== undefined) killGroup(child.pid);
    });
    child.on("close", (code, killedBy) => {
      cleanUp();
      if (stopped !== undefined) {
        reject(stopped);
        return;
      }
      const out = Buffer.concat(stdout).toString("utf8");
      const err = Buffer.concat(stderr).toString("utf8");
      if (code === null) {
        const name = killedBy ?? "a signal";
        const number =
          killedBy === null ? 0 : ((constants.signals[killedBy] as number | undefined) ?? 0);
        reject(
          new TaskExitError(128 + number, messages.shellKilled(taskName, spec.command, name), {
            stdout: out,
            stderr: err,
          }),
        );
        return;
      }
      if (!spec.okExitCodes.includes(code)) {
        reject(
          new TaskExitError(code, messages.shellExited(taskName, spec.command, code, tail(err)), {
            stdout: out,
            stderr: err,
          }),
        );
        return;
      }
      resolve({ stdout: out, stderr: err, exitCode: code });
    });
  });
}

/** The last lines of what a command printed on stderr, for a message. */
function tail(text: string): string {
  const trimmed = text.trim();
  return trimmed.length <= 400 ? trimmed : `…${trimmed.slice(-400)}`;
}
