/**
 * The BullMQ jobs a worker holds (queue, job id, lock token), in memory shared with its lock
 * keeper's thread (lock-keeper.ts): the worker's thread writes a slot when a job starts and
 * empties it when the job ends, the keeper reads them all when it renews. No message goes
 * between the threads per job, and the keeper reads them while the worker's thread is stuck.
 *
 * Each slot is guarded by a sequence word: odd while the worker's thread writes it, bumped
 * again once written; a reader that sees it odd, or changed by the end of its read, skips the
 * slot until its next round.
 */

/** Longest job id and token kept, in UTF-8 bytes: longer ones are left to BullMQ's renewal. */
const ID_BYTES = 256;
const TOKEN_BYTES = 128;
/** A slot's words: sequence, queue, id length, token length (0 when empty); then its bytes. */
const WORDS = 4;
const SLOT_BYTES = WORDS * 4 + ID_BYTES + TOKEN_BYTES;

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** A job held, as the keeper reads it. */
export interface HeldLock {
  readonly queue: number;
  readonly id: string;
  readonly token: string;
}

/** Slots of jobs held, over one shared buffer. */
export class HeldLocks {
  readonly buffer: SharedArrayBuffer;
  readonly #words: Int32Array;
  readonly #bytes: Uint8Array;
  readonly #free: number[] = [];

  /** `slots` empty slots, or the slots of `buffer` (the keeper's side). */
  constructor(slots: number | SharedArrayBuffer) {
    this.buffer = typeof slots === "number" ? new SharedArrayBuffer(slots * SLOT_BYTES) : slots;
    this.#words = new Int32Array(this.buffer);
    this.#bytes = new Uint8Array(this.buffer);
    const count = this.buffer.byteLength / SLOT_BYTES;
    for (let slot = count - 1; slot >= 0; slot--) this.#free.push(slot);
  }

  /** Keeps job `id` of queue `queue`; its slot, or undefined when none is free or it is too long. */
  hold(queue: number, id: string, token: string): number | undefined {
    const slot = this.#free.pop();
    if (slot === undefined) return undefined;
    const word = slot * (SLOT_BYTES / 4);
    const at = slot * SLOT_BYTES + WORDS * 4;
    Atomics.add(this.#words, word, 1);
    const idWritten = encoder.encodeInto(id, this.#bytes.subarray(at, at + ID_BYTES));
    const tokenWritten = encoder.encodeInto(
      token,
      this.#bytes.subarray(at + ID_BYTES, at + ID_BYTES + TOKEN_BYTES),
    );
    const fits = idWritten.read === id.length && tokenWritten.read === token.length;
    this.#words[word + 1] = queue;
    this.#words[word + 2] = fits ? (idWritten.written ?? 0) : 0;
    this.#words[word + 3] = tokenWritten.written ?? 0;
    Atomics.add(this.#words, word, 1);
    if (fits) return slot;
    this.#free.push(slot);
    return undefined;
  }

  /** Empties slot `slot` (its job ended here). */
  release(slot: number): void {
    const word = slot * (SLOT_BYTES / 4);
    Atomics.add(this.#words, word, 1);
    this.#words[word + 2] = 0;
    Atomics.add(this.#words, word, 1);
    this.#free.push(slot);
  }

  /** The jobs held now (the keeper's side; a slot being written is skipped). */
  read(): HeldLock[] {
    const held: HeldLock[] = [];
    const count = this.buffer.byteLength / SLOT_BYTES;
    for (let slot = 0; slot < count; slot++) {
      const word = slot * (SLOT_BYTES / 4);
      const before = Atomics.load(this.#words, word);
      if (before % 2 === 1) continue;
      const idLength = Atomics.load(this.#words, word + 2);
      if (idLength === 0) continue;
      const queue = Atomics.load(this.#words, word + 1);
      const tokenLength = Atomics.load(this.#words, word + 3);
      const at = slot * SLOT_BYTES + WORDS * 4;
      // copied out of the shared buffer first: the decoder reads no shared memory
      const id = decoder.decode(this.#bytes.slice(at, at + idLength));
      const token = decoder.decode(this.#bytes.slice(at + ID_BYTES, at + ID_BYTES + tokenLength));
      if (Atomics.load(this.#words, word) !== before) continue;
      held.push({ queue, id, token });
    }
    return held;
  }
}
