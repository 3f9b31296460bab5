/** The text of `--help`: a command's synopsis, its options and examples. */
import type { CommandSpec, GroupSpec, OperandSpec, OptionSpec, OptionSpecs } from "./command.js";

function operandText(o: OperandSpec): string {
  const name = o.repeated === true ? `${o.name}…` : o.name;
  return o.optional === true || (o.repeated === true && o.optional !== false) ? `[${name}]` : name;
}

/** `workgraph archive export FILE [PK…] [options]`. */
export function synopsis(path: string, spec: CommandSpec<OptionSpecs>): string {
  const operands = (spec.operands ?? []).map(operandText);
  const options = Object.keys(spec.options).length > 0 ? ["[options]"] : [];
  return ["workgraph", path, ...operands, ...options].join(" ");
}

function optionLabel(name: string, o: OptionSpec): string {
  const long = `--${name}${o.type === "string" ? ` ${o.value ?? "VALUE"}` : ""}`;
  return o.short !== undefined ? `-${o.short}, ${long}` : `    ${long}`;
}

function columns(rows: readonly (readonly [string, string])[]): string[] {
  const width = Math.max(...rows.map(([left]) => left.length));
  return rows.map(([left, right]) => `  ${left.padEnd(width)}  ${right}`);
}

/** The help of one command. */
export function commandHelp(path: string, spec: CommandSpec<OptionSpecs>): string {
  const options = Object.entries(spec.options).map(
    ([name, o]) =>
      [optionLabel(name, o), o.help + (o.multiple === true ? " (repeatable)" : "")] as const,
  );
  return [
    `usage: ${synopsis(path, spec)}`,
    "",
    `${spec.summary[0]?.toUpperCase() ?? ""}${spec.summary.slice(1)}.`,
    "",
    "options:",
    ...columns([...options, ["-h, --help", "show this help"]]),
    "",
    spec.examples.length === 1 ? "example:" : "examples:",
    ...spec.examples.map((e) => `  ${e}`),
  ].join("\n");
}

/** The help of a group: each sub-command with its summary. */
export function groupHelp(spec: GroupSpec): string {
  return [
    `usage: workgraph ${spec.name} <sub-command> [options]`,
    "",
    `${spec.summary[0]?.toUpperCase() ?? ""}${spec.summary.slice(1)}.`,
    "",
    "sub-commands:",
    ...columns(spec.subcommands.map((c) => [c.name, c.summary] as const)),
    "",
    `Run "workgraph ${spec.name} <sub-command> --help" for its options and an example.`,
  ].join("\n");
}
