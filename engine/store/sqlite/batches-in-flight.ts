/**
 * The batches posted to the writer thread and not yet committed, with the types of their
 * nodes: until the thread says a batch is committed, links and updates naming its nodes are
 * checked against these types rather than a read of the file (thread-group.ts).
 */
import { DATA_WIDTH, PROCESS_WIDTH, type WriteBatch } from "./write-batch.js";

/** A batch posted and not yet committed: its nodes' pks. */
interface Flight {
  readonly seq: number;
  readonly pks: readonly number[];
}

export class BatchesInFlight {
  /** The types of the nodes posted and not yet committed, by pk. */
  readonly #types = new Map<number, string>();
  readonly #flights: Flight[] = [];

  /** Notes batch `seq`, just posted, and its nodes' types. */
  posted(seq: number, batch: WriteBatch): void {
    const pks: number[] = [];
    const data = batch.data;
    for (let i = 0; i < data.length; i += DATA_WIDTH) {
      const pk = data[i] as number;
      pks.push(pk);
      this.#types.set(pk, "data");
    }
    const rows = batch.processes;
    for (let i = 0; i < rows.length; i += PROCESS_WIDTH) {
      const pk = rows[i] as number;
      pks.push(pk);
      this.#types.set(pk, rows[i + 2] as string);
    }
    this.#flights.push({ seq, pks });
  }

  /** The type of a node posted and not yet committed. */
  type(pk: number): string | undefined {
    return this.#types.get(pk);
  }

  /** Every batch up to `seq` is done with: its nodes are read from the file from now on. */
  landed(seq: number): void {
    while (this.#flights.length > 0 && (this.#flights[0] as Flight).seq <= seq) {
      for (const pk of (this.#flights.shift() as Flight).pks) this.#types.delete(pk);
    }
  }
}
