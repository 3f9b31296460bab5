/** `workgraph archive export | import`: move provenance between profiles as a JSON file. */
import { exportArchive } from "../../engine/store/archive/export-archive.js";
import { importArchive } from "../../engine/store/archive/import-archive.js";
import { UsageError, type Command } from "../command.js";
import {
  parseCommandArgs,
  parsePk,
  profileOption,
  runSubcommand,
  withProfile,
} from "../store/store-args.js";

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

function exportCommand(args: readonly string[]): number {
  const { values, positionals } = parseCommandArgs(args, profileOption);
  const [file, ...pkTexts] = positionals;
  if (file === undefined) throw new UsageError("missing FILE");
  const pks = pkTexts.map((text) => parsePk(text));
  return withProfile("archive export", values.profile, ({ name, store }) => {
    const counts = exportArchive(file, { store, ...(pks.length > 0 ? { pks } : {}) });
    console.log(
      `Exported ${plural(counts.nodes, "node")}, ${plural(counts.links, "link")} and ${plural(counts.reports, "report line")} from profile ${name} to ${file}`,
    );
    return 0;
  });
}

function importCommand(args: readonly string[]): number {
  const { values, positionals } = parseCommandArgs(args, profileOption);
  const [file, extra] = positionals;
  if (file === undefined) throw new UsageError("missing FILE");
  if (extra !== undefined) throw new UsageError(`unexpected argument ${extra}`);
  return withProfile("archive import", values.profile, ({ name, store }) => {
    const counts = importArchive(file, { store });
    console.log(
      `Imported ${plural(counts.nodes, "node")} (${counts.existing} already present), ${plural(counts.links, "link")} and ${plural(counts.reports, "report line")} from ${file} into profile ${name}`,
    );
    return 0;
  });
}

/** `workgraph archive`: export a profile (or some nodes) to a file, import a file. */
export const archiveCommand: Command = {
  name: "archive",
  summary: "export provenance to a JSON archive, or import one",
  usage:
    "workgraph archive export FILE [PK…] [--profile P]\n       workgraph archive import FILE [--profile P]",
  run: (args) => runSubcommand({ export: exportCommand, import: importCommand }, args),
};
