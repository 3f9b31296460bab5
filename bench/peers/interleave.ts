/** Rounds of several sides taken in turn (a, b, c, a, b, c, …) and their medians. */

/** The middle value (mean of the two middle ones for an even count). */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new Error("median of no values");
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

/** One side: a round answers its seconds. A side with fewer rounds takes part in the first ones. */
export interface Side {
  readonly round: () => Promise<number>;
  readonly rounds?: number;
  /** Untimed rounds before the timed ones (default 1). */
  readonly warmUps?: number;
}

/**
 * Runs the warm-up rounds, interleaved as the timed ones are, then the rounds of every side in
 * turn, `rounds` times (or the side's own count). Resolves to each side's median seconds.
 */
export async function interleave<Name extends string>(
  sides: Readonly<Record<Name, Side>>,
  rounds: number,
): Promise<Record<Name, number>> {
  const names = Object.keys(sides) as Name[];
  const seconds = new Map<Name, number[]>(names.map((name) => [name, []]));
  const warmUps = Math.max(...names.map((name) => sides[name].warmUps ?? 1), 0);
  for (let round = 0; round < warmUps; round++) {
    for (const name of names) if (round < (sides[name].warmUps ?? 1)) await sides[name].round();
  }
  for (let round = 0; round < rounds; round++) {
    for (const name of names) {
      if (round < (sides[name].rounds ?? rounds))
        seconds.get(name)?.push(await sides[name].round());
    }
  }
  return Object.fromEntries(names.map((name) => [name, median(seconds.get(name) ?? [])])) as Record<
    Name,
    number
  >;
}
