/**
 * A submitted run as stored, whatever queue carries it: the run node (CREATED, attributes
 * `durable` and `submitted` with its flow reference) and its input nodes and links.
 */
import { randomUUID } from "node:crypto";
import type { ProvenanceStore } from "../store/store.js";
import type { Submission } from "./run-queue.js";

/** Writes the run of `submission` (not flushed); its pk and uuid. */
export function storeSubmission(
  store: ProvenanceStore,
  submission: Submission,
): { pk: number; uuid: string } {
  const uuid = randomUUID();
  const submitted = {
    flow: submission.flow,
    ...(submission.maxConcurrency !== undefined
      ? { maxConcurrency: submission.maxConcurrency }
      : {}),
  };
  const pk = store.addNode({
    type: "run",
    uuid,
    name: submission.name,
    state: "CREATED",
    ctime: Date.now(),
    attributes: { durable: true, submitted },
  });
  for (const [label, node] of submission.inputs) {
    node.pk ??= store.addNode({
      type: "data",
      uuid: node.uuid,
      kind: node.kind,
      value: node.value,
      ctime: Date.now(),
    });
    store.addLink({ from: node.pk, to: pk, type: "INPUT", label });
  }
  return { pk, uuid };
}
