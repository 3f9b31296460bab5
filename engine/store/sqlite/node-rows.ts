/**
 * Node records as rows, for the SQLite and the PostgreSQL store alike: what a new node's row
 * holds, and how an update changes a row still queued in memory.
 */
import { canonicalJson } from "../canonical-json.js";
import type { NodeRecord, ProcessUpdate } from "../store.js";
import { cacheKeyOf } from "./attributes-text.js";
import { currentOwner } from "./orphaned-runs.js";
import type { NewNode, PendingNode } from "./pending-writes.js";

/**
 * The row of a new node (all but its pk): a data node's value as canonical JSON; a run's
 * attributes with the process that owns it; a task's kind; the cache key in its own column.
 */
export function newNodeRow(node: NodeRecord): NewNode {
  if (node.type === "data") {
    const value = canonicalJson(node.value);
    return [node.uuid, "data", node.kind, null, null, node.ctime, value, null, null];
  }
  const attributes =
    node.type === "run" ? { ...node.attributes, owner: currentOwner() } : node.attributes;
  const kind = node.type === "task" ? node.kind : null;
  const cacheKey = cacheKeyOf(attributes) ?? null;
  return [
    node.uuid,
    node.type,
    kind,
    node.name,
    node.state,
    node.ctime,
    null,
    attributes,
    cacheKey,
  ];
}

/** The attributes an update adds to a node (its error among them). */
export function updatePatch(update: ProcessUpdate): Readonly<Record<string, unknown>> | undefined {
  return update.error !== undefined
    ? { ...update.attributes, error: update.error }
    : update.attributes;
}

/**
 * Applies an update to the row of a task or run still queued (`parse` reads the attributes
 * when the row holds them as text).
 */
export function updateQueuedRow(
  row: PendingNode,
  update: ProcessUpdate,
  patch: Readonly<Record<string, unknown>> | undefined,
  parse: (text: string) => Record<string, unknown>,
): void {
  row.mtime = Date.now();
  if (update.state !== undefined) row.state = update.state;
  if (update.exitCode !== undefined) row.exitCode = update.exitCode;
  if (update.startedAt !== undefined) row.startedAt = update.startedAt;
  if (update.endedAt !== undefined) row.endedAt = update.endedAt;
  if (patch === undefined) return;
  if ("cacheKey" in patch) row.cacheKey = cacheKeyOf(patch) ?? null;
  // A task's key alone changes only its column: its attributes object stays shared.
  if (Object.keys(patch).length === 1 && "cacheKey" in patch) return;
  const current = typeof row.attributes === "string" ? parse(row.attributes) : row.attributes;
  row.attributes = { ...current, ...patch };
}
