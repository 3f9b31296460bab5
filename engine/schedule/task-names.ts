/** Task names in a run: the function's name, and `add1`, `add2`, … for repeated calls. */

/** The name of the `copy`-th call (from 0) of the function `base` in a run. */
export function taskName(base: string, copy: number): string {
  return copy === 0 ? base : base + copy;
}

/** Counts the calls of each function in one run, so each call's name is unique. */
export class TaskNames {
  readonly #counts = new Map<string, number>();

  /** 0 the first time `base` is called, then 1, 2, …: `base`, `base1`, `base2`, … */
  next(base: string): number {
    const count = this.#counts.get(base) ?? 0;
    this.#counts.set(base, count + 1);
    return count;
  }
}
