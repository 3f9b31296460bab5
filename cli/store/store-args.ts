/** What the store commands share: argument parsing, opening a profile, and error output. */
import { parseArgs, type ParseArgsConfig } from "node:util";
import { WorkgraphError } from "../../engine/model/errors.js";
import { openProfile, type Profile } from "../../engine/store/open-profile.js";
import { UsageError } from "../command.js";

/** The `--profile` option every store command takes. */
export const profileOption = { profile: { type: "string", short: "p" } } as const;

/** String options, possibly repeated: all the store commands take. */
type StringOptions = Readonly<
  Record<string, { readonly type: "string"; readonly short?: string; readonly multiple?: boolean }>
>;

/** The parsed arguments: option values by name, and the positionals. */
export interface ParsedCommandArgs<O extends StringOptions> {
  readonly values: {
    readonly [K in keyof O]?: O[K] extends { multiple: true } ? string[] : string;
  };
  readonly positionals: string[];
}

/** Parses a command's arguments; a wrong one is a usage error (exit code 2). */
export function parseCommandArgs<O extends StringOptions>(
  args: readonly string[],
  options: O,
): ParsedCommandArgs<O> {
  try {
    const config = { args: [...args], options, allowPositionals: true, strict: true };
    return parseArgs(config as ParseArgsConfig) as ParsedCommandArgs<O>;
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
}

/** Opens the profile named by `--profile` (`default` unless told). */
export function openStoreProfile(name: string | undefined): Profile {
  try {
    return openProfile(name ?? "default");
  } catch (error) {
    if (error instanceof TypeError) throw new UsageError(error.message);
    throw error;
  }
}

/** A positive integer pk, or a usage error. */
export function parsePk(text: string | undefined, what = "PK"): number {
  if (text === undefined) throw new UsageError(`missing ${what}`);
  if (!/^\d+$/.test(text) || Number(text) < 1) {
    throw new UsageError(`${what} must be a positive integer, got ${JSON.stringify(text)}`);
  }
  return Number(text);
}

/**
 * Runs a command's body with its profile open, closing it after. The engine's own errors
 * (no such node, a bad file) are printed as one line on stderr, exit code 1.
 */
export function withProfile(
  command: string,
  name: string | undefined,
  body: (profile: Profile) => number,
): number {
  const profile = openStoreProfileOrReport(command, name);
  if (profile === undefined) return 1;
  try {
    return body(profile);
  } catch (error) {
    if (!(error instanceof WorkgraphError)) throw error;
    console.error(`workgraph ${command}: ${error.message}`);
    return 1;
  } finally {
    profile.store.close();
  }
}

function openStoreProfileOrReport(command: string, name: string | undefined): Profile | undefined {
  try {
    return openStoreProfile(name);
  } catch (error) {
    if (!(error instanceof WorkgraphError)) throw error;
    console.error(`workgraph ${command}: ${error.message}`);
    return undefined;
  }
}

/** Runs the sub-command named by the first argument; throws turn into a rejected promise. */
export function runSubcommand(
  subcommands: Readonly<Record<string, (args: readonly string[]) => number>>,
  args: readonly string[],
): Promise<number> {
  return Promise.resolve().then(() => {
    const [sub, ...rest] = args;
    const handler =
      sub !== undefined && Object.hasOwn(subcommands, sub) ? subcommands[sub] : undefined;
    if (handler === undefined) {
      throw new UsageError(
        sub === undefined ? "missing sub-command" : `unknown sub-command "${sub}"`,
      );
    }
    return handler(rest);
  });
}
