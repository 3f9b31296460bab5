/** Runs a script of test/fixtures in a child process (`node --import tsx`) and reads its lines. */
import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { createInterface } from "node:readline";
import { root } from "./built.js";

/** A running fixture script: its process, its stdout lines so far, and a way to wait for one. */
export interface FixtureProcess {
  readonly child: ChildProcess;
  readonly lines: readonly string[];
  /** Resolves with the first line (seen or to come) that matches; rejects if the process ends. */
  waitForLine(match: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  /** Resolves with the exit code (or signal) once the process has ended. */
  exited(): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Starts `test/fixtures/<script>` with these arguments and WORKGRAPH_HOME. */
export function startFixture(
  script: string,
  args: readonly string[],
  home: string,
): FixtureProcess {
  const child = spawn(process.execPath, ["--import", "tsx", `test/fixtures/${script}`, ...args], {
    cwd: root,
    env: { ...process.env, WORKGRAPH_HOME: home },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const lines: string[] = [];
  const waiters: { match: RegExp; resolve: (m: RegExpMatchArray) => void }[] = [];
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  createInterface({ input: child.stdout }).on("line", (line) => {
    lines.push(line);
    for (const waiter of waiters.splice(0)) {
      const found = line.match(waiter.match);
      if (found !== null) waiter.resolve(found);
      else waiters.push(waiter);
    }
  });
  const exit = once(child, "close").then(([code, signal]) => ({
    code: code as number | null,
    signal: signal as NodeJS.Signals | null,
  }));
  return {
    child,
    lines,
    waitForLine(match, timeoutMs = 15_000) {
      for (const line of lines) {
        const found = line.match(match);
        if (found !== null) return Promise.resolve(found);
      }
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`no line ${match} within ${timeoutMs} ms; stderr: ${stderr}`)),
          timeoutMs,
        );
        waiters.push({
          match,
          resolve: (found) => {
            clearTimeout(timer);
            resolve(found);
          },
        });
        void exit.then(() => {
          clearTimeout(timer);
          reject(new Error(`${script} ended before printing ${match}; stderr: ${stderr}`));
        });
      });
    },
    exited: () => exit,
  };
}
