/**
 * The types of the nodes this store has posted to its writer thread (or written itself), by
 * pk: a node stays what it was (a type never changes, and nothing deletes a node the engine
 * wrote), so a link or an update naming it is checked here rather than by a read of the file
 * or a search of the batches on their way. A batch the thread refuses is forgotten again.
 *
 * One byte a pk, in pages of 64 Ki pks made as pks reach them: this process's pks come in
 * blocks, dense but for other processes' blocks between them, so a million-task run costs
 * ~3 MB, where a Map by pk cost tens of MB and rebuilt its table as it grew.
 */
const PAGE_SIZE = 1 << 16;

/** The node types, by their codes (a code is the type's place here). */
export const NODE_TYPES = ["data", "task", "run"] as const;

/** Types of nodes by pk: a byte each, 0 unknown, else 1 + the type's code. */
export class KnownTypes {
  readonly #pages: (Uint8Array | undefined)[] = [];
  /** The first pk of page 0 (set by the first node noted). */
  #base = -1;

  /** Notes a node's type by its code (its place in {@link NODE_TYPES}). */
  note(pk: number, code: number): void {
    if (this.#base < 0) this.#base = pk - (pk % PAGE_SIZE);
    const at = pk - this.#base;
    // A pk below the first page is left to the file (this process's pks only grow).
    if (at < 0) return;
    const page = (this.#pages[Math.floor(at / PAGE_SIZE)] ??= new Uint8Array(PAGE_SIZE));
    page[at % PAGE_SIZE] = code + 1;
  }

  /** Forgets a node (its row was refused). */
  forget(pk: number): void {
    const at = pk - this.#base;
    if (this.#base < 0 || at < 0) return;
    const page = this.#pages[Math.floor(at / PAGE_SIZE)];
    if (page !== undefined) page[at % PAGE_SIZE] = 0;
  }

  /** The type of a node noted, if it is one. */
  type(pk: number): string | undefined {
    const at = pk - this.#base;
    if (this.#base < 0 || at < 0) return undefined;
    const code = this.#pages[Math.floor(at / PAGE_SIZE)]?.[at % PAGE_SIZE] ?? 0;
    return code === 0 ? undefined : NODE_TYPES[code - 1];
  }
}
