/**
 * The rows written but not yet handed to SQLite: those of the open transaction, or, while
 * another process holds the write lock, every row since. Holding them lets a task's later state
 * changes land on its row before it is inserted (one INSERT, no UPDATEs), and lets rows go in
 * many per statement. pks are handed out here, from the store's {@link PkSequence}.
 */
import type Database from "better-sqlite3";
import { attributesText } from "./attributes-text.js";
import { BulkInsert } from "./bulk-insert.js";
import { storedCacheKeyOrNull, storedUuid } from "./compact-keys.js";
import { LinePlaces } from "./finished-lines.js";
import { storedLinkType } from "./link-types.js";
import { SharedAttributes } from "./shared-attributes.js";
import type { PkSequence } from "./pk-sequence.js";
import { StoredUpdates } from "./stored-updates.js";

/** A node row waiting to be inserted; attributes stay an object so merges are cheap. */
export class PendingNode {
  exitCode: number | null = null;
  mtime: number;
  startedAt: number | null = null;
  endedAt: number | null = null;
  /** The place of the task's finished line while it is kept on the row (finished-lines.ts). */
  finishedLine: number | null = null;
  /** The node that CALLs this one (-1: more than one), while both are queued. */
  calledBy: number | undefined = undefined;

  // A class with fixed fields, not object spreads: tens of thousands are made per second.
  constructor(
    readonly pk: number,
    readonly uuid: string,
    readonly type: "data" | "task" | "run",
    readonly kind: string | null,
    readonly name: string | null,
    public state: string | null,
    readonly ctime: number,
    readonly value: string | null,
    public attributes: Readonly<Record<string, unknown>> | string | null,
    public cacheKey: string | null,
  ) {
    this.mtime = ctime;
  }
}

/** What a new node row is made of (the rest starts empty). */
export type NewNode =
  ConstructorParameters<typeof PendingNode> extends [number, ...infer Rest] ? Rest : never;

// prettier-ignore
const PROCESS_COLUMNS = [
  "pk", "uuid", "type", "kind", "name", "state", "exit_code", "ctime", "mtime", "started_at",
  "ended_at", "attributes", "cache_key", "finished_line",
] as const;

/** Data rows bind only what they have: each bound value costs as much as a column written. */
const DATA_COLUMNS = ["pk", "uuid", "type", "kind", "ctime", "mtime", "value"] as const;

/** Past this many pending rows they are handed to SQLite (when it can take them). */
const MAX_PENDING = 100_000;

/** Rows of the open transaction, in the order they were written. */
export class PendingWrites {
  readonly #nodes: PendingNode[] = [];
  readonly #byPk = new Map<number, PendingNode>();
  readonly #links: unknown[] = [];
  /** Report rows: the line's order among the queued lines, then its columns. */
  readonly #reports: unknown[] = [];
  /** How many queued rows a drain kept (unfinished tasks and runs, first in `#nodes`). */
  #kept = 0;
  /** How many lines are queued, rows and lines kept on task rows. */
  #lines = 0;
  readonly #places: LinePlaces;
  readonly #shared: SharedAttributes;
  readonly #dataValues: unknown[] = [];
  readonly #processValues: unknown[] = [];
  /** Changes to rows already in the file. */
  readonly updates: StoredUpdates;
  /** The stored nodes the queued rows were checked against, by pk: their types. */
  readonly checked = new Map<number, string>();
  /** Whether rows can be handed to SQLite now (a transaction is open). */
  canDrain: () => boolean = () => true;
  readonly #dataInsert: BulkInsert;
  readonly #processInsert: BulkInsert;
  readonly #linkInsert: BulkInsert;
  readonly #reportInsert: BulkInsert;

  constructor(
    db: Database.Database,
    private readonly pks: PkSequence,
  ) {
    this.updates = new StoredUpdates(db);
    this.#dataInsert = new BulkInsert(db, "nodes", DATA_COLUMNS);
    this.#processInsert = new BulkInsert(db, "nodes", PROCESS_COLUMNS);
    this.#linkInsert = new BulkInsert(db, "links", ["from_pk", "to_pk", "type", "label"]);
    this.#places = new LinePlaces(db);
    this.#shared = new SharedAttributes(db);
    this.#reportInsert = new BulkInsert(db, "reports", [
      "rowid",
      "run_pk",
      "at",
      "level",
      "step",
      "message",
      "text",
    ]);
  }

  /** Queues a node (its row but the pk) and returns it, with the pk it will have. */
  addNode(row: NewNode): PendingNode {
    const node = new PendingNode(this.pks.next(), ...row);
    this.#nodes.push(node);
    this.#byPk.set(node.pk, node);
    this.#bound();
    return node;
  }

  /** The pk the next node will get. */
  nextPk(): number {
    return this.pks.peek();
  }

  /** The queued row of this pk, while it is still queued. */
  node(pk: number): PendingNode | undefined {
    return this.#byPk.get(pk);
  }

  /** Whether nothing waits to be handed to SQLite. */
  get empty(): boolean {
    return (
      this.#nodes.length === 0 &&
      this.#links.length === 0 &&
      this.#reports.length === 0 &&
      this.updates.size === 0
    );
  }

  /** How many rows wait (nodes, links, reports and changed rows). */
  get size(): number {
    return (
      this.#nodes.length + this.#links.length / 4 + this.#reports.length / 7 + this.updates.size
    );
  }

  /** Queues a link. */
  addLink(from: number, to: number, type: string, label: string): void {
    this.#links.push(from, to, storedLinkType(type), label);
    if (type === "CALL") {
      const called = this.#byPk.get(to);
      if (called !== undefined) called.calledBy = called.calledBy === undefined ? from : -1;
    }
    this.#bound();
  }

  /** Queues a report line. */
  addReport(...values: [number, number, string, string, string, string | null]): void {
    this.#reports.push(this.#lines++, ...values);
    this.#bound();
  }

  /** Keeps the next line on a queued task row, as its finished line (finished-lines.ts). */
  keepFinishedLine(task: PendingNode): void {
    task.finishedLine = this.#lines++;
  }

  /** Makes the finished line kept on a queued task row a report row, in the place it had. */
  finishedLineToRow(task: PendingNode): void {
    if (task.finishedLine === null) return;
    const message = `Task: ${task.name}, type: ${task.kind}, finished.`;
    const values = [task.calledBy, task.endedAt, "REPORT", "update_task_state", message, null];
    this.#reports.push(task.finishedLine, ...values);
    task.finishedLine = null;
  }

  /**
   * Hands the queued rows to SQLite (inside the open transaction). `unfinished: "keep"` (a
   * long turn past its bound) keeps the rows of tasks and runs not yet ended: their later
   * changes still fold into their one INSERT, and a finished line still lands on its row.
   */
  drain(unfinished: "keep" | "insert" = "insert"): void {
    // Each queued line's place: its order among them, after the places taken before.
    const first = this.#lines > 0 ? this.#places.take(this.#lines) : 0;
    this.#lines = 0;
    if (this.#nodes.length > 0) {
      // Kept between drains: refilling a large array costs less than growing a new one.
      const data = this.#dataValues;
      const processes = this.#processValues;
      const keep = unfinished === "keep";
      let kept = 0;
      for (const n of this.#nodes) {
        if (n.type !== "data" && keep && n.endedAt === null) {
          this.#nodes[kept++] = n;
          continue;
        }
        if (keep) this.#byPk.delete(n.pk);
        if (n.type === "data") {
          data.push(n.pk, storedUuid(n.uuid), n.type, n.kind, n.ctime, n.mtime, n.value);
          continue;
        }
        // The attributes every call of a task shares (frozen, as the engine hands them) once.
        const attributes =
          typeof n.attributes === "object" && n.attributes !== null
            ? Object.isFrozen(n.attributes)
              ? this.#shared.ref(attributesText(n.attributes))
              : attributesText(n.attributes)
            : n.attributes;
        processes.push(
          n.pk,
          storedUuid(n.uuid),
          n.type,
          n.kind,
          n.name,
          n.state,
          n.exitCode,
          n.ctime,
          n.mtime,
          n.startedAt,
          n.endedAt,
          attributes,
          storedCacheKeyOrNull(n.cacheKey),
          n.finishedLine === null ? null : first + n.finishedLine,
        );
      }
      this.#nodes.length = kept;
      if (!keep) this.#byPk.clear();
      this.#kept = kept;
      this.#dataInsert.run(data);
      this.#processInsert.run(processes);
      data.length = 0;
      processes.length = 0;
    }
    this.updates.applyQueued();
    // Links and reports after nodes, so no row names a node not yet in the file.
    this.#linkInsert.run(this.#links);
    this.#links.length = 0;
    const reports = this.#reports;
    for (let i = 0; i < reports.length; i += 7) reports[i] = first + (reports[i] as number);
    this.#reportInsert.run(reports);
    reports.length = 0;
  }

  /** Forgets everything: the transaction ended (committed after a drain, or rolled back). */
  reset(): void {
    this.#nodes.length = 0;
    this.#kept = 0;
    this.#byPk.clear();
    this.#links.length = 0;
    this.#reports.length = 0;
    this.#lines = 0;
    this.#shared.forget();
    this.#dataValues.length = 0;
    this.#processValues.length = 0;
    this.updates.clear();
    this.checked.clear();
  }

  #bound(): void {
    const rows = this.#nodes.length - this.#kept + this.#links.length / 4;
    if (rows + this.#reports.length / 7 >= MAX_PENDING) {
      if (this.canDrain()) this.drain("keep");
    }
  }
}
