/** The shape of one `workgraph` sub-command. */

/** A sub-command: its name, a one-line summary, usage text, and what it does. */
export interface Command {
  readonly name: string;
  readonly summary: string;
  readonly usage: string;
  /** Runs the command with the arguments after its name; resolves with the exit code. */
  run(args: readonly string[]): Promise<number>;
}

/** A wrong use of a command: printed with its usage, exit code 2. */
export class UsageError extends Error {
  override name = "UsageError";
}
