/**
 * pks handed out at once from blocks reserved in the database (hi/lo): `addNode` never waits
 * for the server. A block is reserved ahead, when half of the current one is used, so a busy
 * run finds the next block there; blocks double in size (64 to 8192) as a store writes more.
 * pks a process does not use are never handed out by anyone (a gap, never a pk taken twice).
 */

const FIRST_BLOCK = 64;
const LARGEST_BLOCK = 8192;

/** How blocks are reserved: `reserve` posts a request; `reserveNow` blocks for one. */
export interface BlockSource {
  /** Asks for a block of `count` pks; its first pk comes later through `received`. */
  reserve(count: number): void;
  /** Blocks until the block asked for arrives (through `received`), or the wait gives up. */
  awaitAsked(): void;
  /** Reserves a block of `count` pks now, blocking; its first pk. */
  reserveNow(count: number): number;
}

/** Hands out unique pks for one store. */
export class PkBlocks {
  #cursor = 0;
  #end = 0;
  #size = FIRST_BLOCK;
  /** The block reserved ahead, once it has arrived. */
  #ahead: { first: number; count: number } | undefined;
  /** The size of the block asked for ahead, while it has not arrived. */
  #asked: number | undefined;

  constructor(private readonly source: BlockSource) {}

  /** The next pk. */
  next(): number {
    if (this.#cursor === this.#end) this.#refill();
    if (this.#asked === undefined && this.#ahead === undefined) {
      if (this.#end - this.#cursor <= this.#size / 2) this.#askAhead();
    }
    return this.#cursor++;
  }

  /** A block asked for ahead has arrived. */
  received(first: number): void {
    const count = this.#asked;
    if (count === undefined) return;
    this.#asked = undefined;
    this.#ahead = { first, count };
  }

  #askAhead(): void {
    this.#size = Math.min(this.#size * 2, LARGEST_BLOCK);
    this.#asked = this.#size;
    this.source.reserve(this.#size);
  }

  #refill(): void {
    if (this.#ahead === undefined && this.#asked !== undefined) this.source.awaitAsked();
    if (this.#ahead === undefined) {
      this.#asked = undefined;
      this.#ahead = { first: this.source.reserveNow(this.#size), count: this.#size };
    }
    const block = this.#ahead;
    this.#ahead = undefined;
    this.#cursor = block.first;
    this.#end = block.first + block.count;
  }
}
