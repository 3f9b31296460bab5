/**
 * The batches posted to the writer thread and not yet committed, with the types of their
 * nodes: until the thread says a batch is committed, links and updates naming its nodes are
 * checked against these types rather than a read of the file (thread-group.ts).
 *
 * Each batch keeps its nodes as one sorted array of numbers (pk and type in one), found by
 * binary search, not as entries of a Map shared by all batches: such a Map grew to ~130,000
 * entries while 32 batches of 4,096 rows were on their way and shrank as they landed, and each resize left
 * its old table (megabytes, in V8's large-object space) for the next full collection. A
 * million-task fan-out made hundreds of MB of that garbage, which the process's peak carried.
 */
import { DATA_WIDTH, PROCESS_WIDTH, type WriteBatch } from "./write-batch.js";

/** A node's type as the low two bits of its entry (pk × 4 + code). */
const TYPES = ["data", "task", "run"] as const;

function typeCode(type: string): number {
  const code = TYPES.indexOf(type as (typeof TYPES)[number]);
  if (code < 0) throw new Error(`Unknown node type ${type}`);
  return code;
}

/** Arrays of at least this many entries are made, so a landed batch's array fits the next. */
const ARRAY_ENTRIES = 2048;

/** Landed batches' arrays kept for the next (a batch's array is outside V8's heap). */
const SPARE_ARRAYS = 160;

/** A batch posted and not yet committed: its nodes, `pk * 4 + type` ascending. */
interface Flight {
  readonly seq: number;
  /** The array the nodes are in (reused once the batch lands). */
  readonly array: Float64Array;
  readonly nodes: Float64Array;
  /** The smallest and largest pk, to skip a batch without searching it. */
  readonly low: number;
  readonly high: number;
}

export class BatchesInFlight {
  readonly #flights: Flight[] = [];
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
    let n = 0;
    for (let i = 0; i < data.length; i += DATA_WIDTH) nodes[n++] = (data[i] as number) * 4;
    for (let i = 0; i < rows.length; i += PROCESS_WIDTH) {
      nodes[n++] = (rows[i] as number) * 4 + typeCode(rows[i + 2] as string);
    }
    nodes.sort();
    const low = Math.floor((nodes[0] as number) / 4);
    const high = Math.floor((nodes[count - 1] as number) / 4);
    this.#flights.push({ seq, array, nodes, low, high });
  }

  /** The type of a node posted and not yet committed. */
  type(pk: number): string | undefined {
    const flights = this.#flights;
    // The newest first: a node is most often named soon after it was posted.
    for (let f = flights.length - 1; f >= this.#first; f--) {
      const flight = flights[f] as Flight;
      if (pk < flight.low || pk > flight.high) continue;
      const found = find(flight.nodes, pk);
      if (found !== undefined) return found;
    }
    return undefined;
  }

  /** Every batch up to `seq` is done with: its nodes are read from the file from now on. */
  landed(seq: number): void {
    const flights = this.#flights;
    while (this.#first < flights.length && (flights[this.#first] as Flight).seq <= seq) {
      const { array } = flights[this.#first++] as Flight;
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

/** The type of `pk` in a batch's sorted nodes, if there. */
function find(nodes: Float64Array, pk: number): string | undefined {
  const key = pk * 4;
  let lo = 0;
  let hi = nodes.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const entry = nodes[mid] as number;
    if (entry < key) lo = mid + 1;
    else if (entry >= key + 4) hi = mid - 1;
    else return TYPES[entry - key];
  }
  return undefined;
}
