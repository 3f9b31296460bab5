/** Which reader answers queries about a store: the store itself, or an adapter over memory. */
import { defaultStore } from "../default-store.js";
import { MemoryStore } from "../memory-store.js";
import { memoryReader } from "../memory-reader.js";
import * as messages from "../messages.js";
import { isReader, type ProvenanceReader } from "../reader.js";
import type { ProvenanceStore } from "../store.js";

/** The reader of a store (the default store unless one is given). */
export function readerOf(store: ProvenanceStore = defaultStore()): ProvenanceReader {
  if (isReader(store)) return store;
  if (store instanceof MemoryStore) return memoryReader(store);
  throw new TypeError(messages.notQueryable(store.constructor.name));
}
