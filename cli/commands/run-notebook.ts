/** `workgraph run-notebook FILE [--out FILE.ipynb] [--html FILE.html]`: executes a notebook. */
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { basename, dirname } from "node:path";
import { defineCommand, UsageError } from "../command.js";
import { COMMAND_SUMMARIES } from "../command-summaries.js";
import * as messages from "../messages.js";
import type { ExecutionOutcome } from "../notebook/execute-notebook.js";

/** Exit codes of a run stopped by a signal: 128 + the signal's number, as shells report. */
const SIGNAL_EXIT: Readonly<Record<string, number>> = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 };

function parseTimeout(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const seconds = Number(text);
  if (!/^\d+(\.\d+)?$/.test(text) || !(seconds > 0)) {
    throw new UsageError(`--timeout must be a positive number of seconds, not "${text}"`);
  }
  return seconds * 1000;
}

/** Runs `body` with SIGINT, SIGTERM and SIGHUP turned into an abort; restores them after. */
async function abortOnSignals<T>(body: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  const handlers = Object.keys(SIGNAL_EXIT).map((name) => {
    const handler = () => controller.abort(name);
    process.once(name as NodeJS.Signals, handler);
    return [name, handler] as const;
  });
  try {
    return await body(controller.signal);
  } finally {
    for (const [name, handler] of handlers) process.off(name, handler);
  }
}

/** `workgraph run-notebook`: execute a notebook with the kernel, no Python needed. */
export const runNotebook = defineCommand({
  name: "run-notebook",
  summary: COMMAND_SUMMARIES["run-notebook"],
  operands: [{ name: "FILE" }],
  options: {
    out: {
      type: "string",
      value: "FILE.ipynb",
      help: "where the executed notebook goes (default: FILE)",
    },
    html: { type: "string", value: "FILE.html", help: "also write a self-contained HTML page" },
    timeout: {
      type: "string",
      value: "SECONDS",
      help: "stop if a cell runs longer than this (default: no limit)",
    },
    "allow-errors": {
      type: "boolean",
      help: "go on after a cell raises (cells tagged raises-exception always may)",
    },
    sanitize: {
      type: "boolean",
      help: "keep the notebook's own HTML, SVG and links from running script in the page",
    },
    quiet: { type: "boolean", short: "q", help: "do not echo the cells' output" },
  },
  examples: [
    "workgraph run-notebook notebooks/imperative-workflow.ipynb --out out/nb.ipynb --html out/nb.html",
    "workgraph run-notebook shared.ipynb --html page.html --sanitize --timeout 600",
  ],
  async run({ values, operands: [file = ""] }) {
    const cellTimeoutMs = parseTimeout(values.timeout);
    if (!existsSync(file)) throw new UsageError(messages.missingFile("FILE", file));
    // The kernel client, the notebook format and the page are loaded here, not at the top:
    // `--help` and a usage error load none of them.
    const [{ executeNotebook }, { readNotebook }] = await Promise.all([
      import("../notebook/execute-notebook.js"),
      import("../notebook/nbformat.js"),
    ]);
    const nb = readNotebook(file);
    const echo =
      values.quiet === true
        ? undefined
        : (chunk: string, stream: "stdout" | "stderr") =>
            void (stream === "stderr" ? process.stderr : process.stdout).write(chunk);
    const outcome = await abortOnSignals((signal) =>
      executeNotebook(file, nb, {
        signal,
        allowErrors: values["allow-errors"] === true,
        ...(echo !== undefined ? { echo } : {}),
        ...(cellTimeoutMs !== undefined ? { cellTimeoutMs } : {}),
      }),
    );
    // What ran is written whatever stopped the run.
    await writeOutputs(file, outcome, values.out ?? file, values.html, values.sanitize === true);
    for (const line of outcome.allowedErrors) console.error(line);
    const { failure } = outcome;
    if (failure === undefined) return 0;
    console.error(failure.message);
    if (failure.kind === "interrupted") {
      return SIGNAL_EXIT[failure.reason ?? ""] ?? 130;
    }
    return 1;
  },
});

async function writeOutputs(
  file: string,
  outcome: ExecutionOutcome,
  out: string,
  html: string | undefined,
  sanitize: boolean,
): Promise<void> {
  const { formatNotebook } = await import("../notebook/nbformat.js");
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, formatNotebook(outcome.notebook));
  console.log(`\nwrote ${out}`);
  if (html !== undefined) {
    const { notebookHtml } = await import("../notebook/notebook-html.js");
    mkdirSync(dirname(html), { recursive: true });
    const page = await notebookHtml(outcome.notebook, basename(file, ".ipynb"), { sanitize });
    writeFileSync(html, page);
    console.log(`wrote ${html}`);
  }
}
