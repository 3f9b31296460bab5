/**
 * Profiles: named stores under the workgraph home, `<home>/<name>/`, where home is
 * `WORKGRAPH_HOME` or `~/.workgraph`. A profile's `profile.json` names its storage and broker
 * (profile-config.ts); without one it is `<home>/<name>/workgraph.sqlite`. Opening a profile
 * does not make it the default; see `loadProfile` for that.
 */
import { existsSync, mkdirSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, join, resolve } from "node:path";
import * as messages from "./messages.js";
import { isPostgresUrl, maskUrl } from "./postgres/connection-url.js";
import { PostgresStore } from "./postgres/postgres-store.js";
import {
  PROFILE_FILE,
  readProfileConfig,
  SQLITE_PROFILE,
  writeProfileConfig,
  type ProfileConfig,
} from "./profile-config.js";
import { SqliteStore } from "./sqlite/sqlite-store.js";

/** Where a profile lives; both default to the usual places. */
export interface ProfileOptions {
  /** The folder holding the profiles; defaults to `WORKGRAPH_HOME`, then `~/.workgraph`. */
  readonly home?: string;
  /** The store file itself, instead of `<home>/<name>/workgraph.sqlite`; `:memory:` allowed. */
  readonly file?: string;
}

/** The store of a profile: SQLite or PostgreSQL, both written and read the same way. */
export type ProfileStore = SqliteStore | PostgresStore;

/** A named store: its name, where it is, its broker and the open store. */
export interface Profile {
  readonly name: string;
  /** The store file, or the PostgreSQL URL with its password masked. */
  readonly path: string;
  /** Which kind of storage it has. */
  readonly storage: "sqlite" | "postgresql";
  /** Where flows and job tasks travel to workers, when the profile has a broker. */
  readonly broker?: string;
  readonly store: ProfileStore;
}

/** The folder that holds the profiles. */
export function workgraphHome(options: Pick<ProfileOptions, "home"> = {}): string {
  return resolve(options.home ?? process.env.WORKGRAPH_HOME ?? join(homedir(), ".workgraph"));
}

/** The folder of a profile; a TypeError for a name that would leave the home. */
export function profileFolder(name: string, options: Pick<ProfileOptions, "home"> = {}): string {
  if (!/^[\w.-]+$/.test(name) || name === "." || name === "..") {
    throw new TypeError(messages.badProfileName(name));
  }
  return join(workgraphHome(options), name);
}

/** The SQLite store file of a profile (whether or not its storage is SQLite). */
export function profilePath(name = "default", options: ProfileOptions = {}): string {
  if (name === ":memory:" || options.file === ":memory:") return ":memory:";
  if (options.file !== undefined) return resolve(options.file);
  return join(profileFolder(name, options), "workgraph.sqlite");
}

/** The configuration of a profile (SQLite when it has no `profile.json`). */
export function profileConfig(name = "default", options: ProfileOptions = {}): ProfileConfig {
  if (name === ":memory:" || options.file !== undefined) return SQLITE_PROFILE;
  return readProfileConfig(profileFolder(name, options));
}

/** Whether a profile exists: it has a configuration or a SQLite store. */
export function profileExists(name: string, options: Pick<ProfileOptions, "home"> = {}): boolean {
  const folder = profileFolder(name, options);
  return existsSync(join(folder, PROFILE_FILE)) || existsSync(join(folder, "workgraph.sqlite"));
}

/** Creates a profile with this configuration; an Error when it exists already. */
export function createProfile(
  name: string,
  config: ProfileConfig,
  options: Pick<ProfileOptions, "home"> = {},
): string {
  const folder = profileFolder(name, options);
  if (profileExists(name, options)) {
    throw new Error(messages.profileExists(name, folder));
  }
  mkdirSync(folder, { recursive: true });
  return writeProfileConfig(folder, config);
}

/** Opens a profile's store (creating its folder, file or tables when missing). */
export function openProfile(name = "default", options: ProfileOptions = {}): Profile {
  const config = profileConfig(name, options);
  const broker = config.broker !== undefined ? { broker: config.broker } : {};
  if (isPostgresUrl(config.storage)) {
    const store = new PostgresStore(config.storage);
    return { name, path: maskUrl(config.storage), storage: "postgresql", ...broker, store };
  }
  const path = profilePath(name, options);
  if (path !== ":memory:") mkdirSync(dirname(path), { recursive: true });
  return { name, path, storage: "sqlite", ...broker, store: new SqliteStore(path) };
}
