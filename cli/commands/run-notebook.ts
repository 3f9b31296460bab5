/** `workgraph run-notebook FILE [--out FILE.ipynb] [--html FILE.html]`: executes a notebook. */
import { mkdirSync, writeFileSync } from "node:fs";
import { basename, dirname } from "node:path";
import { parseArgs } from "node:util";
import { UsageError, type Command } from "../command.js";
import { executeNotebook } from "../notebook/execute-notebook.js";
import { formatNotebook, readNotebook } from "../notebook/nbformat.js";
import { notebookHtml } from "../notebook/notebook-html.js";

export const runNotebook: Command = {
  name: "run-notebook",
  summary: "execute a notebook with the workgraph kernel; write it back and as an HTML page",
  usage: "workgraph run-notebook FILE [--out FILE.ipynb] [--html FILE.html] [--quiet]",
  async run(args) {
    const { values, positionals } = parseArgs({
      args: [...args],
      allowPositionals: true,
      options: { out: { type: "string" }, html: { type: "string" }, quiet: { type: "boolean" } },
    });
    const file = positionals[0];
    if (file === undefined || positionals.length > 1)
      throw new UsageError("give one notebook file");
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
};
