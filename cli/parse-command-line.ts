/** Parses a command's arguments against its declared options and operands, naming what is wrong. */
import { parseArgs } from "node:util";
import type { OperandSpec, OptionSpecs } from "./command.js";
import { UsageError } from "./usage-error.js";
import * as messages from "./messages.js";

/** Parsed arguments, before they are typed after the specs. */
export interface ParsedCommandLine {
  readonly values: Readonly<Record<string, string | boolean | string[]>>;
  readonly operands: readonly string[];
}

type Token = NonNullable<ReturnType<typeof parseArgs>["tokens"]>[number];

/** Tokens of `args`, read leniently (unknown options kept) so errors can name them. */
function tokensOf(args: readonly string[], options: OptionSpecs): Token[] {
  const config = Object.fromEntries(
    Object.entries(options).map(([name, o]) => [
      name,
      { type: o.type, ...(o.short !== undefined ? { short: o.short } : {}) },
    ]),
  );
  return parseArgs({
    args: [...args],
    options: config,
    strict: false,
    allowPositionals: true,
    tokens: true,
  }).tokens;
}

/** Whether `--help` or `-h` is among the options (not after `--`, nor as an option's value). */
export function wantsHelp(args: readonly string[], options: OptionSpecs): boolean {
  if (Object.hasOwn(options, "help")) return false;
  return tokensOf(args, options).some(
    (t) => t.kind === "option" && (t.rawName === "--help" || t.rawName === "-h"),
  );
}

/** Parses `args`; throws a UsageError naming the first wrong argument. */
export function parseCommandLine(
  args: readonly string[],
  options: OptionSpecs,
  operands: readonly OperandSpec[],
): ParsedCommandLine {
  const values: Record<string, string | boolean | string[]> = {};
  const positionals: string[] = [];
  for (const token of tokensOf(args, options)) {
    if (token.kind === "positional") positionals.push(token.value);
    if (token.kind !== "option") continue;
    const spec = Object.hasOwn(options, token.name) ? options[token.name] : undefined;
    if (spec === undefined) throw new UsageError(messages.unknownOption(token.rawName));
    if (spec.type === "boolean") {
      if (token.inlineValue === true) throw new UsageError(messages.takesNoValue(token.rawName));
      values[token.name] = true;
      continue;
    }
    if (token.value === undefined) throw new UsageError(messages.needsValue(token.rawName));
    if (spec.multiple === true) {
      const list = values[token.name];
      values[token.name] = [...(Array.isArray(list) ? list : []), token.value];
    } else values[token.name] = token.value;
  }
  checkOperands(positionals, operands);
  return { values, operands: positionals };
}

function checkOperands(given: readonly string[], operands: readonly OperandSpec[]): void {
  const required = operands.filter((o) => o.optional !== true && o.repeated !== true);
  const missing = required[given.length];
  if (given.length < required.length && missing !== undefined) {
    throw new UsageError(messages.missingOperand(missing.name));
  }
  const unbounded = operands.some((o) => o.repeated === true);
  const extra = given[operands.length];
  if (!unbounded && extra !== undefined) throw new UsageError(messages.unexpectedArgument(extra));
}
