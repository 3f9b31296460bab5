/**
 * A profile's configuration: `<home>/<name>/profile.json`, naming its storage (`sqlite`, the
 * file beside it, or a PostgreSQL URL) and, for runs spread over machines, its broker (a
 * Redis or PostgreSQL URL). A profile without the file is a SQLite one: the default profile
 * needs no server and no configuration.
 */
import {
  chmodSync,
  existsSync,
  readFileSync,
  readdirSync,
  renameSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";
import { z } from "zod";
import { isPostgresUrl, maskUrl } from "./postgres/connection-url.js";
import * as messages from "./messages.js";

/** The file name of a profile's configuration, in its folder. */
export const PROFILE_FILE = "profile.json";

/** Whether `text` is a broker URL workgraph knows (Redis or PostgreSQL). */
export function isBrokerUrl(text: string): boolean {
  return /^rediss?:\/\//i.test(text) || isPostgresUrl(text);
}

/** The shape of `profile.json`. */
export const profileConfigSchema = z
  .object({
    version: z.literal(1),
    storage: z.string().refine((s) => s === "sqlite" || isPostgresUrl(s), {
      error: (issue) => messages.badStorageUrl(maskUrl(String(issue.input))),
    }),
    broker: z
      .string()
      .refine(isBrokerUrl, {
        error: (issue) => messages.badBrokerUrl(maskUrl(String(issue.input))),
      })
      .optional(),
  })
  .strict();

/** A profile's configuration. */
export type ProfileConfig = z.infer<typeof profileConfigSchema>;

/** The configuration of a profile without `profile.json`: SQLite, no broker. */
export const SQLITE_PROFILE: ProfileConfig = { version: 1, storage: "sqlite" };

/** Reads the configuration in `folder`; SQLite when there is none; a TypeError when invalid. */
export function readProfileConfig(folder: string): ProfileConfig {
  const file = join(folder, PROFILE_FILE);
  if (!existsSync(file)) return SQLITE_PROFILE;
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    throw new TypeError(messages.badProfileConfig(file, String(error)));
  }
  const parsed = profileConfigSchema.safeParse(data);
  if (!parsed.success) {
    throw new TypeError(messages.badProfileConfig(file, z.prettifyError(parsed.error)));
  }
  return parsed.data;
}

/** Writes the configuration into `folder` (readable by its owner alone: URLs hold passwords). */
export function writeProfileConfig(folder: string, config: ProfileConfig): string {
  const checked = profileConfigSchema.parse(config);
  const file = join(folder, PROFILE_FILE);
  const partial = `${file}.${process.pid}.partial`;
  writeFileSync(partial, `${JSON.stringify(checked, null, 2)}\n`, { mode: 0o600 });
  chmodSync(partial, 0o600);
  renameSync(partial, file);
  return file;
}

/** The configuration as shown to people: passwords in URLs masked. */
export function shownProfileConfig(config: ProfileConfig): ProfileConfig {
  return {
    version: config.version,
    storage: maskUrl(config.storage),
    ...(config.broker !== undefined ? { broker: maskUrl(config.broker) } : {}),
  };
}

/** The profiles in `home`: folders with a configuration or a SQLite store, by name. */
export function listProfiles(home: string): string[] {
  if (!existsSync(home)) return [];
  return readdirSync(home, { withFileTypes: true })
    .filter(
      (entry) =>
        entry.isDirectory() &&
        (existsSync(join(home, entry.name, PROFILE_FILE)) ||
          existsSync(join(home, entry.name, "workgraph.sqlite"))),
    )
    .map((entry) => entry.name)
    .sort();
}
