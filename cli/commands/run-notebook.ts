/** `workgraph run-notebook FILE [--out FILE.ipynb] [--html FILE.html]`: executes a notebook. */
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { basename, dirname } from "node:path";
import { defineCommand, UsageError } from "../command.js";
import * as messages from "../messages.js";
import { executeNotebook } from "../notebook/execute-notebook.js";
import { formatNotebook, readNotebook } from "../notebook/nbformat.js";
import { notebookHtml } from "../notebook/notebook-html.js";

/** `workgraph run-notebook`: execute a notebook with the kernel, no Python needed. */
export const runNotebook = defineCommand({
  name: "run-notebook",
  summary: "execute a notebook with the workgraph kernel; write it back and as an HTML page",
  operands: [{ name: "FILE" }],
  options: {
    out: {
      type: "string",
      value: "FILE.ipynb",
      help: "where the executed notebook goes (default: FILE)",
    },
    html: { type: "string", value: "FILE.html", help: "also write a self-contained HTML page" },
    quiet: { type: "boolean", short: "q", help: "do not echo the cells' output" },
  },
  examples: [
    "workgraph run-notebook notebooks/imperative-workflow.ipynb --out out/nb.ipynb --html out/nb.html",
  ],
  async run({ values, operands: [file = ""] }) {
    if (!existsSync(file)) throw new UsageError(messages.missingFile("FILE", file));
    const nb = readNotebook(file);
    const echo =
      values.quiet === true
        ? undefined
        : (chunk: string, stream: "stdout" | "stderr") =>
            void (stream === "stderr" ? process.stderr : process.stdout).write(chunk);
    const outcome = await executeNotebook(file, nb, echo !== undefined ? { echo } : {});
    const out = values.out ?? file;
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, formatNotebook(outcome.notebook));
    console.log(`\nwrote ${out}`);
    if (values.html !== undefined) {
      mkdirSync(dirname(values.html), { recursive: true });
      writeFileSync(values.html, notebookHtml(outcome.notebook, basename(file, ".ipynb")));
      console.log(`wrote ${values.html}`);
    }
    if (outcome.failedCell !== undefined) {
      console.error(`cell ${outcome.failedCell + 1} raised an error; execution stopped there`);
      return 1;
    }
    return 0;
  },
});
