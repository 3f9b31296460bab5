/**
 * The attributes a new task node is stored with. A task function's source is stored once per
 * distinct source in a store (from this process): on the first task that has it (`source`),
 * and named by that task's uuid on the others (`sourceIn`).
 */
import type { ProvenanceStore } from "../store/store.js";
import type { TaskDefinition } from "../author/task-definition.js";
import { taskAttributes } from "./task-attributes.js";

/** The attributes every later call of a task shares, made once per store and task definition. */
const storeAttributes = new WeakMap<
  ProvenanceStore,
  WeakMap<TaskDefinition, Readonly<Record<string, unknown>>>
>();
/** The uuid of the task that holds each task source stored, per store. */
const sourceHolders = new WeakMap<ProvenanceStore, Map<string, string>>();

/** The attributes a new call of `definition`, the task node `uuid`, stores in `store`. */
export function storedTaskAttributes(
  store: ProvenanceStore,
  definition: TaskDefinition,
  uuid: string,
): Readonly<Record<string, unknown>> {
  let byDefinition = storeAttributes.get(store);
  if (byDefinition === undefined) storeAttributes.set(store, (byDefinition = new WeakMap()));
  const cached = byDefinition.get(definition);
  if (cached !== undefined) return cached;
  const base = taskAttributes(definition);
  const text = definition.source ?? String(definition.fn);
  let holders = sourceHolders.get(store);
  if (holders === undefined) sourceHolders.set(store, (holders = new Map<string, string>()));
  const holder = holders.get(text);
  if (holder === undefined) holders.set(text, uuid);
  const shared = Object.freeze({ ...base, sourceIn: holder ?? uuid });
  byDefinition.set(definition, shared);
  return holder === undefined ? { ...base, source: text } : shared;
}
