/**
 * Profiles: named stores under the workgraph home, `<home>/<name>/workgraph.sqlite`, where home
 * is `WORKGRAPH_HOME` or `~/.workgraph`. Opening one does not make it the default; see
 * `loadProfile` for that.
 */
import { mkdirSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, join, resolve } from "node:path";
import * as messages from "./messages.js";
import { SqliteStore } from "./sqlite/sqlite-store.js";

/** Where a profile lives; both default to the usual places. */
export interface ProfileOptions {
  /** The folder holding the profiles; defaults to `WORKGRAPH_HOME`, then `~/.workgraph`. */
  readonly home?: string;
  /** The store file itself, instead of `<home>/<name>/workgraph.sqlite`; `:memory:` allowed. */
  readonly file?: string;
}

/** A named store: its name, its file and the open store. */
export interface Profile {
  readonly name: string;
  readonly path: string;
  readonly store: SqliteStore;
}

/** The folder that holds the profiles. */
export function workgraphHome(options: Pick<ProfileOptions, "home"> = {}): string {
  return resolve(options.home ?? process.env.WORKGRAPH_HOME ?? join(homedir(), ".workgraph"));
}

/** The store file of a profile. */
export function profilePath(name = "default", options: ProfileOptions = {}): string {
  if (name === ":memory:" || options.file === ":memory:") return ":memory:";
  if (options.file !== undefined) return resolve(options.file);
  if (!/^[\w.-]+$/.test(name) || name === "." || name === "..") {
    throw new TypeError(messages.badProfileName(name));
  }
  return join(workgraphHome(options), name, "workgraph.sqlite");
}

/** Opens a profile's store (creating its folder and file when missing). */
export function openProfile(name = "default", options: ProfileOptions = {}): Profile {
  const path = profilePath(name, options);
  if (path !== ":memory:") mkdirSync(dirname(path), { recursive: true });
  return { name, path, store: new SqliteStore(path) };
}
