/** Opening a store command's profile, and printing the engine's errors as one line. */
import { openProfile, WorkgraphError, type Profile } from "../../engine/index.js";
import { listProfiles, profileExists, profilePath, workgraphHome } from "../../engine/plumbing.js";
import { UsageError } from "../command.js";
import * as messages from "../messages.js";

/** The profiles under the workgraph home (with a configuration or a store), by name. */
export function existingProfiles(): string[] {
  return listProfiles(workgraphHome());
}

/**
 * The SQLite store file of a profile that must exist already (for a PostgreSQL profile, the
 * file it would have); a usage error names the profile otherwise.
 */
export function existingProfilePath(name: string): string {
  let path: string;
  let exists: boolean;
  try {
    path = profilePath(name);
    exists = profileExists(name);
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  if (!exists) {
    throw new UsageError(messages.noSuchProfile(name, workgraphHome(), existingProfiles()));
  }
  return path;
}

/**
 * Opens the profile named by `--profile` (`default` unless told). Reading commands refuse a
 * profile that does not exist (`create: false`): a typo must not make an empty one.
 */
export function openStoreProfile(name: string | undefined, create = false): Profile {
  const profile = name ?? "default";
  if (!create) existingProfilePath(profile);
  try {
    return openProfile(profile);
  } catch (error) {
    if (error instanceof TypeError) throw new UsageError(error.message);
    throw error;
  }
}

/** How {@link withProfile} opens the profile. */
export interface WithProfileOptions {
  /** Create the profile if it does not exist (commands that write into one). */
  readonly create?: boolean;
}

/**
 * Runs a command's body with its profile open, closing it after. The engine's own errors
 * (no such node, a bad file) are printed as one line on stderr, exit code 1.
 */
export function withProfile(
  command: string,
  name: string | undefined,
  body: (profile: Profile) => number,
  options: WithProfileOptions = {},
): number {
  const profile = openStoreProfileOrReport(command, name, options.create ?? false);
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

function openStoreProfileOrReport(
  command: string,
  name: string | undefined,
  create: boolean,
): Profile | undefined {
  try {
    return openStoreProfile(name, create);
  } catch (error) {
    if (!(error instanceof WorkgraphError)) throw error;
    console.error(`workgraph ${command}: ${error.message}`);
    return undefined;
  }
}
