/**
 * What the store commands share on their command line: the `--profile` and `--json` options and
 * pks. No engine here: a command's `--help` and usage errors load none of it (opening a
 * profile is `open-profile.ts`).
 */
import { UsageError } from "../command.js";

/** The `--profile` option every store command takes. */
export const profileOption = {
  profile: {
    type: "string",
    short: "p",
    value: "NAME",
    help: "the profile to use (default: default)",
  },
} as const;

/** The `--json` flag of the commands that can print JSON. */
export const jsonOption = {
  json: { type: "boolean", help: "print JSON instead of text" },
} as const;

/** A positive integer pk, or a usage error. */
export function parsePk(text: string | undefined, what = "PK"): number {
  if (text === undefined) throw new UsageError(`missing ${what}`);
  if (!/^\d+$/.test(text) || Number(text) < 1) {
    throw new UsageError(`${what} must be a positive integer, got ${JSON.stringify(text)}`);
  }
  return Number(text);
}
