/**
 * A stored run a journal continues instead of creating one (a run resumed on its own node):
 * its calls so far are taken in call order instead of stored again.
 */

/** A stored run to continue: its node and its calls so far. */
export interface AdoptedRun {
  readonly pk: number;
  readonly uuid: string;
  /**
   * The stored task nodes of its calls, in call order; `linked`: a PLANNED call whose inputs
   * are stored already (a call of plain values is linked as it is made, not as it starts).
   */
  readonly tasks: readonly {
    readonly pk: number;
    readonly state: string | null;
    readonly linked?: boolean;
  }[];
}

/** The stored calls of an adopted run, and what is already written of each. */
export class AdoptedCalls {
  /** Calls whose stored rows are final (FINISHED): their moves show on events$ only. */
  readonly #final = new Set<number>();
  /** Calls whose inputs are linked already. */
  readonly #linked = new Set<number>();
  /** Every call taken: its node is the stored one. */
  readonly #taken = new Set<number>();

  constructor(private readonly tasks: AdoptedRun["tasks"] = []) {}

  /** The pk of the stored call at this position of the run, if it has one. */
  take(position: number): number | undefined {
    const adopted = this.tasks[position];
    if (adopted === undefined) return undefined;
    this.#taken.add(adopted.pk);
    if (adopted.state === "FINISHED") this.#final.add(adopted.pk);
    if (adopted.state !== "PLANNED" || adopted.linked === true) this.#linked.add(adopted.pk);
    return adopted.pk;
  }

  /** Whether the call with this pk was FINISHED in the stored run. */
  isFinal(pk: number): boolean {
    return this.#final.has(pk);
  }

  /** Whether the call with this pk is a stored one, taken over. */
  isTaken(pk: number): boolean {
    return this.#taken.has(pk);
  }

  /** Whether the inputs of the call with this pk were linked in the stored run. */
  isLinked(pk: number): boolean {
    return this.#linked.has(pk);
  }

  /** The call with this pk runs again after all (its code or inputs changed). */
  reopen(pk: number): void {
    this.#final.delete(pk);
  }
}
