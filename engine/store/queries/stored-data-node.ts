/** Data nodes rebuilt from the store: same kind, value, uuid and pk as when they were saved. */
import { DataNode, type DataKind } from "../../model/data-node.js";
import { parseCanonicalJson } from "../canonical-json.js";
import type { NodeRow } from "../reader.js";

/** The stored value; text that is not JSON (a damaged row) reads as that text. */
function readValue(text: string): unknown {
  try {
    return parseCanonicalJson(text);
  } catch {
    return text;
  }
}

/** The data node a stored data row holds. */
export function storedDataNode(row: NodeRow): DataNode {
  const value = row.value === null ? undefined : readValue(row.value);
  const node = new DataNode((row.kind ?? "Data") as DataKind, value);
  // A DataNode draws a fresh uuid when made; a loaded one must keep the stored uuid.
  Object.defineProperty(node, "uuid", { value: row.uuid, enumerable: true });
  node.pk = row.pk;
  return node;
}
