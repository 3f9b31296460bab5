/**
 * What an export of some nodes must carry so that their provenance reads whole: a run brings
 * its inputs, its tasks and what it returned; a task its inputs and what it created; a data
 * node the task that created it. Followed transitively, always up the provenance, never to the
 * later users of a value (which could be the whole store).
 */
import type { NodeRow, ProvenanceReader } from "../reader.js";
import { NodeNotFoundError } from "../store-errors.js";
import type { LinkType } from "../store.js";

const FOLLOW: Readonly<Record<NodeRow["type"], { incoming: LinkType[]; outgoing: LinkType[] }>> = {
  run: { incoming: ["INPUT"], outgoing: ["CALL", "RETURN"] },
  task: { incoming: ["INPUT"], outgoing: ["CREATE"] },
  data: { incoming: ["CREATE"], outgoing: [] },
};

/** The rows of the given pks and of everything their provenance needs, by pk. */
export function provenanceClosure(
  reader: ProvenanceReader,
  pks: readonly number[],
): Map<number, NodeRow> {
  const found = new Map<number, NodeRow>();
  const queue = [...pks];
  for (let pk = queue.pop(); pk !== undefined; pk = queue.pop()) {
    if (found.has(pk)) continue;
    const row = reader.node(pk);
    if (row === undefined) throw new NodeNotFoundError(pk);
    found.set(pk, row);
    const follow = FOLLOW[row.type];
    for (const type of follow.incoming) {
      for (const link of reader.links({ to: pk, type })) queue.push(link.from);
    }
    for (const type of follow.outgoing) {
      for (const link of reader.links({ from: pk, type })) queue.push(link.to);
    }
  }
  return found;
}
