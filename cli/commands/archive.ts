/** `workgraph archive export | import`: move provenance between profiles as a JSON file. */
import { existsSync, statSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { defineCommand, defineGroup, UsageError } from "../command.js";
import { COMMAND_SUMMARIES } from "../command-summaries.js";
import * as messages from "../messages.js";
import { parsePk, profileOption } from "../store/store-args.js";

// The engine (and opening a profile) is loaded by the sub-command that runs, not for `--help`
// or a usage error.
const engine = () =>
  Promise.all([import("../../engine/index.js"), import("../store/open-profile.js")]);

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

/** The folder an output file goes into must exist (it is not created on a guess). */
function checkOutputFolder(file: string): void {
  const folder = dirname(resolve(file));
  if (!existsSync(folder) || !statSync(folder).isDirectory()) {
    throw new UsageError(messages.missingFolder("FILE", file, folder));
  }
}

const exportCommand = defineCommand(
  {
    name: "export",
    summary: "write a profile's runs (or the given nodes and what they link to) to a JSON file",
    operands: [{ name: "FILE" }, { name: "PK", repeated: true }],
    options: profileOption,
    examples: [
      "workgraph archive export runs.json",
      "workgraph archive export one-run.json 42 -p lab",
    ],
    async run({ values, operands: [file = "", ...pkTexts] }) {
      const pks = pkTexts.map((text) => parsePk(text));
      checkOutputFolder(file);
      const [{ exportArchive }, { withProfile }] = await engine();
      return withProfile("archive export", values.profile, ({ name, store }) => {
        const counts = exportArchive(file, { store, ...(pks.length > 0 ? { pks } : {}) });
        console.log(
          `Exported ${plural(counts.nodes, "node")}, ${plural(counts.links, "link")} and ${plural(counts.reports, "report line")} from profile ${name} to ${file}`,
        );
        return 0;
      });
    },
  },
  "archive",
);

const importCommand = defineCommand(
  {
    name: "import",
    summary: "read a JSON archive into a profile (created if it does not exist)",
    operands: [{ name: "FILE" }],
    options: profileOption,
    examples: ["workgraph archive import runs.json --profile copy"],
    async run({ values, operands: [file = ""] }) {
      if (!existsSync(file)) throw new UsageError(messages.missingFile("FILE", file));
      const [{ importArchive }, { withProfile }] = await engine();
      return withProfile(
        "archive import",
        values.profile,
        ({ name, store }) => {
          const counts = importArchive(file, { store });
          console.log(
            `Imported ${plural(counts.nodes, "node")} (${counts.existing} already present), ${plural(counts.links, "link")} and ${plural(counts.reports, "report line")} from ${file} into profile ${name}`,
          );
          return 0;
        },
        // Importing into a new profile is how a profile is copied.
        { create: true },
      );
    },
  },
  "archive",
);

/** `workgraph archive`: export a profile (or some nodes) to a file, import a file. */
export const archiveCommand = defineGroup({
  name: "archive",
  summary: COMMAND_SUMMARIES["archive"],
  subcommands: [exportCommand, importCommand],
});
