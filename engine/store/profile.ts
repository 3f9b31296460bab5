/** `loadProfile()`: opens a profile and makes it the store runs use when none is given. */
import { setDefaultStore } from "./default-store.js";
import { openProfile, type Profile, type ProfileOptions } from "./open-profile.js";

/**
 * Opens the profile `name` (`default` unless told) and makes its store the default one.
 *
 * @example
 * const profile = loadProfile(); // ~/.workgraph/default/workgraph.sqlite
 * await run(addMultiply, { x: 3, y: 4 }); // stored there
 */
export function loadProfile(name = "default", options: ProfileOptions = {}): Profile {
  const profile = openProfile(name, options);
  setDefaultStore(profile.store);
  loaded = options.file === undefined ? profile : undefined;
  return profile;
}

let loaded: Profile | undefined;

/** The profile `loadProfile()` loaded last, if any: `submit()` sends runs to it by default. */
export function loadedProfile(): Profile | undefined {
  return loaded;
}
