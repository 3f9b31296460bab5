/**
 * The batches posted to the writer thread and not yet committed, and the types of every node
 * posted (known-types.ts): links and updates naming a node posted from here are checked
 * against its type there, whether its batch is on its way or committed, rather than by a read
 * of the file. A batch the thread refuses (or the thread's end) takes its nodes' types back.
 *
 * Each batch keeps its nodes as one array of numbers (pk and type in one), so that a refusal
 * knows what to take back, not as entries of a Map shared by all batches: such a Map grew to
 * ~130,000 entries while 32 batches of 4,096 rows were on their way and shrank as they
 * landed, and each resize left its old table (megabytes, in V8's large-object space) for the
 * next full collection. A million-task fan-out made hundreds of MB of that garbage. Types
 * were found by searching the batches on their way, newest first, until they landed: a
 * fan-in of 100,000 tasks, 32 batches behind, searched most of them for each of its inputs
 * (~0.2 s of the engine's thread), and read from the file each input whose batch had landed.
 */
import { KnownTypes, NODE_TYPES } from "./known-types.js";
import { DATA_WIDTH, PROCESS_WIDTH, type WriteBatch } from "./write-batch.js";

/** A type as a batch carries it (node-codes.ts's `wireType`: its place, for the engine's). */
function typeCode(type: number | string): number {
  if (typeof type === "number") return type;
  const code = NODE_TYPES.indexOf(type as (typeof NODE_TYPES)[number]);
  if (code < 0) throw new Error(`Unknown node type ${type}`);
  return code;
}

/** Arrays of at least this many entries are made, so a landed batch's array fits the next. */
const ARRAY_ENTRIES = 8192;

/** Landed batches' arrays kept for the next (a batch's array is outside V8's heap). */
const SPARE_ARRAYS = 40;

/** A batch posted and not yet committed: its nodes, `pk * 4 + type`. */
interface Flight {
  readonly seq: number;
  /** The array the nodes are in (reused once the batch lands). */
  readonly array: Float64Array;
  readonly nodes: Float64Array;
}

export class BatchesInFlight {
  readonly #flights: Flight[] = [];
  /** The type of every node posted (or written here) and not refused. */
  readonly #types = new KnownTypes();
  /**
   * Arrays of batches landed, for the next batches: made anew for each, their memory was
   * malloc's, freed only once V8 collected them, and the allocator kept much of it afterwards.
   */
  readonly #spare: Float64Array[] = [];
  /** The first flight not yet landed (landed ones are dropped from the front in bulk). */
  #first = 0;

  /** Notes batch `seq`, just posted, and its nodes' types. */
  posted(seq: number, batch: WriteBatch): void {
    const data = batch.data;
    const rows = batch.processes;
    const count = data.length / DATA_WIDTH + rows.length / PROCESS_WIDTH;
    if (count === 0) return;
    // pk × 4 stays exact as a double for any pk below 2^51.
    let array = this.#spare.pop();
    if (array === undefined || array.length < count) {
      array = new Float64Array(Math.max(count, ARRAY_ENTRIES));
    }
    const nodes = array.subarray(0, count);
    fillNodes(batch, nodes);
    this.written(nodes);
    this.#flights.push({ seq, array, nodes });
  }

  /**
   * Notes the types of a batch's nodes: one posted, or one written and committed on the
   * store's own connection, as {@link nodesOf} gave them before it was written (writing turns
   * its values to their stored forms).
   */
  written(nodes: Float64Array): void {
    for (const entry of nodes) this.#types.note(Math.floor(entry / 4), entry % 4);
  }

  /** The type of a node posted from here (on its way or committed), or written here. */
  type(pk: number): string | undefined {
    return this.#types.type(pk);
  }

  /**
   * Every batch up to `seq` is done with: committed, or `refused` (their rows dropped, so
   * their nodes' types are taken back: they are read from the file, where they are not).
   */
  landed(seq: number, refused = false): void {
    const flights = this.#flights;
    while (this.#first < flights.length && (flights[this.#first] as Flight).seq <= seq) {
      const { array, nodes } = flights[this.#first++] as Flight;
      if (refused) for (const entry of nodes) this.#types.forget(Math.floor(entry / 4));
      if (this.#spare.length < SPARE_ARRAYS && array.length === ARRAY_ENTRIES) {
        this.#spare.push(array);
      }
    }
    // Dropped in bulk (a shift per batch would move the array each time).
    if (this.#first === flights.length) {
      flights.length = 0;
      this.#first = 0;
    } else if (this.#first >= 64) {
      flights.splice(0, this.#first);
      this.#first = 0;
    }
  }
}

/** A batch's nodes as `pk * 4 + type` (for {@link BatchesInFlight.written}). */
export function nodesOf(batch: WriteBatch): Float64Array {
  const nodes = new Float64Array(
    batch.data.length / DATA_WIDTH + batch.processes.length / PROCESS_WIDTH,
  );
  fillNodes(batch, nodes);
  return nodes;
}

/** Writes a batch's nodes into `nodes` as `pk * 4 + type`: its data rows, then the others. */
function fillNodes(batch: WriteBatch, nodes: Float64Array): void {
  const data = batch.data;
  const rows = batch.processes;
  let n = 0;
  for (let i = 0; i < data.length; i += DATA_WIDTH) nodes[n++] = (data[i] as number) * 4;
  for (let i = 0; i < rows.length; i += PROCESS_WIDTH) {
    nodes[n++] = (rows[i] as number) * 4 + typeCode(rows[i + 2] as number | string);
  }
}
