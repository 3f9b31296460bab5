/**
 * The rows written but not yet handed to SQLite: those of the next batch, or, while another
 * process holds the write lock, every row since. Holding them lets a task's later state
 * changes land on its row before it is inserted (one INSERT, no UPDATEs), and lets rows go in
 * many per statement. pks are handed out here, from the store's {@link PkSequence}. What is
 * held leaves as a {@link WriteBatch} (plain values and its packed uuids), written in this
 * thread or the writer's.
 */
import { storedAttributesText } from "./source-runs.js";
import { UUID_BYTES, packUuidInto } from "./compact-keys.js";
import { storedLinkType } from "./link-types.js";
import { storedAfter, storedMtime, wireKind, wireState, wireType } from "./node-codes.js";
import type { PkSequence } from "./pk-sequence.js";
import { RowsByPk } from "./rows-by-pk.js";
import { QueuedUpdates } from "./stored-updates.js";
import { LINK_WIDTH, REPORT_WIDTH, type WriteBatch } from "./write-batch.js";
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
  /** Held back by a drain until it ends (a task or run row not yet ended). */
  held = false;

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

/** The type of a data row as a batch carries it. */
const DATA_TYPE = wireType("data");

/** Past this many pending rows they are handed to SQLite (when it can take them). */
const MAX_PENDING = 100_000;

/** Rows of the next batch, in the order they were written. */
export class PendingWrites {
  /** Rows to go with the next drain (new ones, and held ones that have ended since). */
  #nodes: PendingNode[] = [];
  /**
   * How many rows a drain held back (tasks and runs not yet ended, marked `held`, found in
   * {@link #byPk}): they join {@link #nodes} when they end, so a drain never looks at them
   * again before (a million-task turn holds a million rows across hundreds of drains). A flag,
   * not a second Map by pk: at a million rows such a Map was ~28 MB, and as much again in the
   * tables its growth left behind.
   */
  #heldCount = 0;
  readonly #byPk = new RowsByPk<PendingNode>();
  #links: unknown[] = [];
  /** Report rows: the line's order among the queued lines, then its columns. */
  #reports: unknown[] = [];
  /** How many lines are queued, rows and lines kept on task rows. */
  #lines = 0;
  /** Changes to rows already written (or posted to be). */
  readonly updates = new QueuedUpdates();
  /** The stored nodes the queued rows were checked against, by pk: their types. */
  readonly checked = new Map<number, string>();
  /** Whether rows can be handed over now (a transaction is open, or the writer takes them). */
  canDrain: () => boolean = () => true;
  /** Past this many rows (but unfinished ones) queued, they are handed over within the turn. */
  bound = MAX_PENDING;
  /** Where {@link drain} hands the rows. */
  sink: (batch: WriteBatch) => void = () => {};

  constructor(private readonly pks: PkSequence) {}

  /** Queues a node (its row but the pk) and returns it, with the pk it will have. */
  addNode(row: NewNode): PendingNode {
    // Each value by index, neither spread nor destructured (both go through an iterator):
    // tens of thousands of rows are queued per second.
    const node = new PendingNode(
      this.pks.next(),
      row[0],
      row[1],
      row[2],
      row[3],
      row[4],
      row[5],
      row[6],
      row[7],
      row[8],
    );
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
      this.#heldCount === 0 &&
      this.#links.length === 0 &&
      this.#reports.length === 0 &&
      this.updates.size === 0
    );
  }

  /** How many rows wait (nodes, links, reports and changed rows). */
  get size(): number {
    return (
      this.#nodes.length +
      this.#heldCount +
      this.#links.length / LINK_WIDTH +
      this.#reports.length / REPORT_WIDTH +
      this.updates.size
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
  addReport(
    runPk: number,
    at: number,
    level: string,
    step: string,
    message: string,
    text: string | null,
  ): void {
    this.#reports.push(this.#lines++, runPk, at, level, step, message, text);
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
   * Hands the queued rows over (to the open transaction, or to the writer thread).
   * `unfinished: "keep"` (a long turn past its bound) keeps the rows of tasks and runs not yet
   * ended: their later changes still fold into their one INSERT, and a finished line still
   * lands on its row.
   */
  drain(unfinished: "keep" | "insert" = "insert"): void {
    this.sink(this.take(unfinished));
  }

  /** A queued row ended: if a drain held it back, it goes with the next one. */
  ended(row: PendingNode): void {
    if (!row.held) return;
    row.held = false;
    this.#heldCount--;
    this.#nodes.push(row);
  }

  /** The queued rows as a batch, forgotten here (but those `"keep"` holds back). */
  take(unfinished: "keep" | "insert" = "insert"): WriteBatch {
    const data: unknown[] = [];
    const processes: unknown[] = [];
    const shared: string[] = [];
    const sharedIndex = new Map<string, number>();
    const keep = unfinished === "keep";
    const nodes = this.#nodes;
    if (!keep && this.#heldCount > 0) {
      for (const row of this.#byPk.values()) {
        if (!row.held) continue;
        row.held = false;
        nodes.push(row);
      }
      this.#heldCount = 0;
    }
    this.#nodes = [];
    // Every uuid packed once here, into one array that goes to the writer thread whole.
    const uuids = new Uint8Array(nodes.length * UUID_BYTES);
    let packed = 0;
    for (const n of nodes) {
      if (n.type !== "data" && keep && n.endedAt === null) {
        n.held = true;
        this.#heldCount++;
        continue;
      }
      if (keep) this.#byPk.delete(n.pk);
      let uuid: number | string = n.uuid;
      if (packUuidInto(uuid, uuids, packed)) {
        uuid = packed;
        packed += UUID_BYTES;
      }
      if (n.type === "data") {
        const mtime = storedMtime(n.mtime, n.ctime, null);
        data.push(n.pk, uuid, DATA_TYPE, wireKind(n.kind), n.ctime, mtime, n.value);
        continue;
      }
      const attributes = n.attributes;
      let text: string | number | null;
      if (typeof attributes === "object" && attributes !== null) {
        text = storedAttributesText(attributes);
        // The attributes every call of a task shares (frozen, as the engine hands them) once.
        if (Object.isFrozen(attributes)) {
          let index = sharedIndex.get(text);
          if (index === undefined) {
            index = shared.push(text) - 1;
            sharedIndex.set(text, index);
          }
          text = index;
        }
      } else text = attributes;
      processes.push(
        n.pk,
        uuid,
        wireType(n.type),
        wireKind(n.kind),
        n.name,
        wireState(n.state),
        n.exitCode,
        n.ctime,
        storedMtime(n.mtime, n.ctime, n.endedAt),
        storedAfter(n.startedAt, n.ctime),
        storedAfter(n.endedAt, n.ctime),
        text,
        n.cacheKey,
        n.finishedLine,
      );
    }
    if (!keep) this.#byPk.clear();
    const batch: WriteBatch = {
      lines: this.#lines,
      uuids,
      data,
      processes,
      shared,
      updates: this.updates.take(),
      links: this.#links,
      reports: this.#reports,
    };
    this.#lines = 0;
    this.#links = [];
    this.#reports = [];
    return batch;
  }

  /** Forgets everything: the transaction ended (committed after a drain, or rolled back). */
  reset(): void {
    this.#nodes.length = 0;
    this.#heldCount = 0;
    this.#byPk.clear();
    this.#links.length = 0;
    this.#reports.length = 0;
    this.#lines = 0;
    this.updates.clear();
    this.checked.clear();
  }

  #bound(): void {
    const rows = this.#nodes.length + this.#links.length / LINK_WIDTH;
    if (rows + this.#reports.length / REPORT_WIDTH >= this.bound) {
      if (this.canDrain()) this.drain("keep");
    }
  }
}
