/** The error of a wrong use of a command (exit code 2). */

/** A wrong use of a command: printed with its usage, exit code 2. */
export class UsageError extends Error {
  override name = "UsageError";
}
