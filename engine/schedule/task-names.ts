/** Task names in a run: the function's name, and `add1`, `add2`, … for repeated calls. */

/** Hands out unique task names within one run. */
export class TaskNames {
  readonly #counts = new Map<string, number>();

  /** `base` the first time, then `base1`, `base2`, … */
  unique(base: string): string {
    const count = this.#counts.get(base) ?? 0;
    this.#counts.set(base, count + 1);
    return count === 0 ? base : `${base}${count}`;
  }
}
