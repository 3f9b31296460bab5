/**
 * The shape of a `workgraph` command, and the framework every command gets for free: option
 * parsing that names a wrong argument, `--help` with options and examples, and usage errors
 * (exit code 2). A command only declares its options, operands, examples and body.
 */
import { commandHelp, groupHelp, synopsis } from "./help.js";
import * as messages from "./messages.js";
import { parseCommandLine, wantsHelp } from "./parse-command-line.js";
import { UsageError } from "./usage-error.js";

export { UsageError };

/** One option of a command. */
export interface OptionSpec {
  readonly type: "string" | "boolean";
  readonly short?: string;
  readonly multiple?: boolean;
  /** The value's name in help and errors, such as `FILE` (string options). */
  readonly value?: string;
  readonly help: string;
}

/** A command's options by long name. */
export type OptionSpecs = Readonly<Record<string, OptionSpec>>;

/** One positional argument: `FILE`, `[PK…]`. */
export interface OperandSpec {
  readonly name: string;
  readonly optional?: boolean;
  /** Takes every remaining argument (implies optional unless `optional: false`). */
  readonly repeated?: boolean;
}

/** Parsed option values, typed after the specs. */
export type OptionValues<O extends OptionSpecs> = {
  readonly [K in keyof O]?: O[K]["type"] extends "boolean"
    ? boolean
    : O[K] extends { readonly multiple: true }
      ? string[]
      : string;
};

/** What a command's body receives. */
export interface CommandInput<O extends OptionSpecs> {
  readonly values: OptionValues<O>;
  /** The operands, in order; their count is already checked against the spec. */
  readonly operands: readonly string[];
}

/** What a command declares. */
export interface CommandSpec<O extends OptionSpecs> {
  readonly name: string;
  readonly summary: string;
  readonly operands?: readonly OperandSpec[];
  readonly options: O;
  /** Whole command lines, shown under `--help`; at least one. */
  readonly examples: readonly [string, ...string[]];
  run(input: CommandInput<O>): Promise<number> | number;
}

/** A runnable command (or group of sub-commands), as the dispatcher sees it. */
export interface Command {
  readonly name: string;
  readonly summary: string;
  /** Synopsis lines, printed with a usage error. */
  readonly usage: string;
  /** The text `--help` prints. */
  help(): string;
  /** A group's sub-commands. */
  readonly subcommands?: readonly Command[];
  /** Runs the command with the arguments after its name; resolves with the exit code. */
  run(args: readonly string[]): Promise<number>;
}

/** Builds a command from its spec; `parent` is the group's name for a sub-command. */
export function defineCommand<O extends OptionSpecs>(
  spec: CommandSpec<O>,
  parent?: string,
): Command {
  const path = parent === undefined ? spec.name : `${parent} ${spec.name}`;
  const usage = synopsis(path, spec);
  return {
    name: spec.name,
    summary: spec.summary,
    usage,
    help: () => commandHelp(path, spec),
    async run(args) {
      if (wantsHelp(args, spec.options)) {
        console.log(commandHelp(path, spec));
        return 0;
      }
      const parsed = parseCommandLine(args, spec.options, spec.operands ?? []);
      return await spec.run(parsed as CommandInput<O>);
    },
  };
}

/** What a group of sub-commands declares (`process list | show | report`). */
export interface GroupSpec {
  readonly name: string;
  readonly summary: string;
  readonly subcommands: readonly Command[];
}

/** Builds a command that dispatches to sub-commands, each defined with `parent` = its name. */
export function defineGroup(spec: GroupSpec): Command {
  const usage = spec.subcommands.map((c) => c.usage).join("\n       ");
  const help = () => groupHelp(spec);
  return {
    name: spec.name,
    summary: spec.summary,
    usage,
    help,
    subcommands: spec.subcommands,
    async run(args) {
      const [name, ...rest] = args;
      if (name === "--help" || name === "-h" || name === "help") {
        console.log(help());
        return 0;
      }
      const sub = spec.subcommands.find((c) => c.name === name);
      if (sub === undefined) {
        const names = spec.subcommands.map((c) => c.name);
        throw new UsageError(
          name === undefined
            ? messages.missingSubcommand(names)
            : messages.unknownSubcommand(name, names),
        );
      }
      return sub.run(rest);
    },
  };
}
