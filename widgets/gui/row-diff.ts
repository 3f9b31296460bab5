/** Which rows changed since the last time: what a patch to the page carries. */

/** Remembers rows by key and reports the new or changed ones. */
export class RowDiff<T> {
  readonly #sent = new Map<string | number, string>();

  constructor(private readonly keyOf: (row: T) => string | number) {}

  /** The rows that are new or differ from what was seen last; remembers them. */
  changed(rows: readonly T[]): T[] {
    const changed: T[] = [];
    for (const row of rows) {
      const key = this.keyOf(row);
      const text = JSON.stringify(row);
      if (this.#sent.get(key) === text) continue;
      this.#sent.set(key, text);
      changed.push(row);
    }
    return changed;
  }
}
