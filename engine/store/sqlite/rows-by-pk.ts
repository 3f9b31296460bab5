/**
 * The queued rows by pk (pending-writes.ts), in chunks of 1,024 consecutive pks: a slot per pk
 * in an array per chunk, the chunks in a small Map. pks are handed out in blocks of consecutive
 * numbers, so the slots are dense. One Map entry per row was ~28 B at a million rows held, and
 * the Map rebuilt its whole table every few tens of thousands of rows queued and drained (the
 * deleted entries fill it up), each table megabytes left to the next full collection: a
 * million-task fan-out made ~200 MB of that garbage. A chunk is 8 KB, dropped once empty.
 */
const CHUNK_BITS = 10;
const CHUNK = 1 << CHUNK_BITS;

class Chunk<T> {
  readonly slots: (T | undefined)[] = new Array<T | undefined>(CHUNK);
  count = 0;
}

export class RowsByPk<T> {
  readonly #chunks = new Map<number, Chunk<T>>();

  get(pk: number): T | undefined {
    return this.#chunks.get(Math.floor(pk / CHUNK))?.slots[pk % CHUNK];
  }

  /** Keeps `row` at `pk` (a pk not already taken). */
  set(pk: number, row: T): void {
    const key = Math.floor(pk / CHUNK);
    let chunk = this.#chunks.get(key);
    if (chunk === undefined) this.#chunks.set(key, (chunk = new Chunk<T>()));
    if (chunk.slots[pk % CHUNK] === undefined) chunk.count++;
    chunk.slots[pk % CHUNK] = row;
  }

  delete(pk: number): void {
    const key = Math.floor(pk / CHUNK);
    const chunk = this.#chunks.get(key);
    if (chunk === undefined || chunk.slots[pk % CHUNK] === undefined) return;
    chunk.slots[pk % CHUNK] = undefined;
    if (--chunk.count === 0) this.#chunks.delete(key);
  }

  clear(): void {
    this.#chunks.clear();
  }

  /** Every row, chunk by chunk in the order the chunks were made, by pk within a chunk. */
  *values(): IterableIterator<T> {
    for (const chunk of this.#chunks.values()) {
      for (const row of chunk.slots) if (row !== undefined) yield row;
    }
  }
}
