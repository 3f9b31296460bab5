/**
 * Where a profile's submitted runs go, opened once per process: its store, and the link to
 * what runs them: the workers of its broker when the profile names one (any storage), else
 * the local daemon (a SQLite profile; a PostgreSQL profile without a broker is refused).
 */
import { loadedProfile } from "../store/profile.js";
import { openProfile, profileConfig, profilePath } from "../store/open-profile.js";
import type { ProfileStore } from "../store/open-profile.js";
import { brokerLink, type BrokerLink } from "./broker/broker-link.js";
import { daemonLink } from "./daemon-link.js";
import { openQueueStore } from "./queue-store.js";
import type { RunLink } from "./run-link.js";

/** A profile's store and the link to what runs its submitted runs. */
export type ProfileRuns =
  | { readonly kind: "daemon"; readonly store: ProfileStore; readonly link: RunLink }
  | { readonly kind: "broker"; readonly store: ProfileStore; readonly link: BrokerLink };

const opened = new Map<string, ProfileRuns>();

/** The store and link of `profile`, opened on first use (the loaded profile's store reused). */
export function profileRuns(profile: string): ProfileRuns {
  const key = profilePath(profile);
  let runs = opened.get(key);
  if (runs === undefined) {
    const config = profileConfig(profile);
    const loaded = loadedProfile();
    if (config.broker !== undefined) {
      const store =
        loaded?.name === profile && profilePath(loaded.name) === key
          ? loaded.store
          : openProfile(profile).store;
      runs = { kind: "broker", store, link: brokerLink(profile, config.broker, store) };
    } else {
      const store = openQueueStore(profile);
      runs = { kind: "daemon", store, link: daemonLink(profile, store) };
    }
    opened.set(key, runs);
  }
  return runs;
}
