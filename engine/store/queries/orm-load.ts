/** `orm.load(pk | uuid)`: a stored node back from the store, as AiiDA's `orm.load_node`. */
import { orm as dataOrm, type DataNode } from "../../model/data-node.js";
import { NodeNotFoundError } from "../store-errors.js";
import type { ProvenanceStore } from "../store.js";
import type { NodeRow, ProvenanceReader } from "../reader.js";
import { nodeFromRow, type ProcessNode } from "./process-node.js";
import { readerOf } from "./reader-of.js";

/** Makes a live view of a stored run (a submitted one), or undefined for the plain view. */
export type RunLoader = (row: NodeRow, reader: ProvenanceReader) => ProcessNode | undefined;

let loadRun: RunLoader = () => undefined;

/** Sets how `orm.load` shows runs: submitted runs come back as handles that follow them. */
export function setRunLoader(loader: RunLoader): void {
  loadRun = loader;
}

/** Where to look; the default store unless told. */
export interface LoadOptions {
  readonly store?: ProvenanceStore;
}

/**
 * The node with this pk (a number, or digits) or uuid: a data node with its value, or a
 * read-only view of a task or run.
 *
 * @example
 * const sum = orm.load(12); // <Int: uuid: 6c2e… (pk: 12) value: 7>
 */
export function ormLoad(key: number | string, options: LoadOptions = {}): DataNode | ProcessNode {
  const reader = readerOf(options.store);
  const lookup = typeof key === "string" && /^\d+$/.test(key) ? Number(key) : key;
  const row = reader.node(lookup);
  if (row === undefined) throw new NodeNotFoundError(lookup);
  return (row.type === "run" ? loadRun(row, reader) : undefined) ?? nodeFromRow(row, reader);
}

/** The data node constructors of `orm`, plus `orm.load`. */
export const orm = { ...dataOrm, load: ormLoad } as const;
