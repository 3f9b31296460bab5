/**
 * The data nodes of a run's literal inputs. A short string, a finite number or a boolean gets
 * one node per run, whatever the number of calls it is given to (`add(i, 1)` ten thousand
 * times stores one `1`): a node is immutable, so sharing it changes no lineage, and the store
 * writes one row and one uuid instead of one per call.
 */
import { toDataNode, type DataNode } from "../model/data-node.js";

/** Literal strings up to this length are shared. */
const SHARED_STRING_LENGTH = 64;
/** How many distinct values a run remembers: `add(i, 1)` gives a million distinct `i`. */
const SHARED_LITERALS = 1024;

/** One run's shared literal nodes. */
export class SharedLiterals {
  readonly #nodes = new Map<unknown, DataNode>();

  /** The node of a literal input: the run's shared one when the value is short. */
  node(value: unknown): DataNode {
    const shared =
      (typeof value === "number" && Number.isFinite(value) && !Object.is(value, -0)) ||
      (typeof value === "string" && value.length <= SHARED_STRING_LENGTH) ||
      typeof value === "boolean";
    if (!shared) return toDataNode<unknown>(value);
    let node = this.#nodes.get(value);
    if (node === undefined) {
      node = toDataNode<unknown>(value);
      if (this.#nodes.size < SHARED_LITERALS) this.#nodes.set(value, node);
    }
    return node;
  }
}
