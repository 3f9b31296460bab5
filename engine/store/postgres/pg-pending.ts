/**
 * The writes of the current event-loop turn, before they are posted to the PostgreSQL thread
 * as one batch. A task's state changes while its row waits here land on the row itself (one
 * INSERT); changes to rows already posted travel as updates.
 */
import type { LinkRecord } from "../store.js";
import { attributesText, cacheKeyOf } from "../sqlite/attributes-text.js";
import type { PendingNode } from "../sqlite/pending-writes.js";
import type { NodeInsertRow, ReportInsertRow, RowUpdate, WriteBatch } from "./pg-protocol.js";

/** A change to a stored row, as the engine gives it. */
export interface ProcessChange {
  readonly state?: string;
  readonly exitCode?: number;
  readonly startedAt?: number;
  readonly endedAt?: number;
  readonly patch?: Readonly<Record<string, unknown>>;
}

/** Rows not yet posted, in the order they were written. */
export class PgPending {
  #nodes: PendingNode[] = [];
  #byPk = new Map<number, PendingNode>();
  #links: LinkRecord[] = [];
  #reports: ReportInsertRow[] = [];
  #updates: RowUpdate[] = [];

  /** Whether nothing waits. */
  get empty(): boolean {
    return (
      this.#nodes.length === 0 &&
      this.#links.length === 0 &&
      this.#reports.length === 0 &&
      this.#updates.length === 0
    );
  }

  /** The waiting row with this pk. */
  node(pk: number): PendingNode | undefined {
    return this.#byPk.get(pk);
  }

  /** Adds a node row. */
  addNode(row: PendingNode): PendingNode {
    this.#nodes.push(row);
    this.#byPk.set(row.pk, row);
    return row;
  }

  /** Adds a link. */
  addLink(link: LinkRecord): void {
    this.#links.push(link);
  }

  /** Adds a report line. */
  addReport(row: ReportInsertRow): void {
    this.#reports.push(row);
  }

  /** Adds a change to a row already posted. */
  addUpdate(pk: number, change: ProcessChange): void {
    const patch = change.patch;
    const setsCacheKey = patch !== undefined && "cacheKey" in patch;
    this.#updates.push({
      pk,
      mtime: Date.now(),
      state: change.state ?? null,
      exitCode: change.exitCode ?? null,
      startedAt: change.startedAt ?? null,
      endedAt: change.endedAt ?? null,
      patch: patch === undefined ? null : attributesText(patch),
      setsCacheKey,
      cacheKey: setsCacheKey ? (cacheKeyOf(patch) ?? null) : null,
    });
  }

  /** Everything waiting, as batch `seq`; the buffer starts empty again. */
  take(seq: number): WriteBatch {
    const batch: WriteBatch = {
      seq,
      nodes: this.#nodes.map(insertRow),
      links: this.#links,
      reports: this.#reports,
      updates: this.#updates,
    };
    this.#nodes = [];
    this.#byPk = new Map();
    this.#links = [];
    this.#reports = [];
    this.#updates = [];
    return batch;
  }

  /** Forgets everything waiting (a transaction that threw). */
  discard(): void {
    this.take(0);
  }
}

function insertRow(row: PendingNode): NodeInsertRow {
  const attributes =
    row.attributes === null || typeof row.attributes === "string"
      ? row.attributes
      : attributesText(row.attributes);
  return {
    pk: row.pk,
    uuid: row.uuid,
    type: row.type,
    kind: row.kind,
    name: row.name,
    state: row.state,
    exitCode: row.exitCode,
    ctime: row.ctime,
    mtime: row.mtime,
    startedAt: row.startedAt,
    endedAt: row.endedAt,
    value: row.value,
    attributes,
    cacheKey: row.cacheKey,
  };
}
