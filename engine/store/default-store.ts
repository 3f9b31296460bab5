/** The store runs use when none is given: the `default` profile, opened on first use. */
import { openProfile } from "./open-profile.js";
import type { ProvenanceStore } from "./store.js";

let processStore: ProvenanceStore | undefined;

/** The store runs use when none is given: the `default` profile, opened on first use. */
export function defaultStore(): ProvenanceStore {
  return (processStore ??= openProfile().store);
}

/** Makes `store` the one runs use when none is given. */
export function setDefaultStore(store: ProvenanceStore): void {
  processStore = store;
}
