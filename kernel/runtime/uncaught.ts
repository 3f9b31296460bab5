/**
 * Errors nobody caught, thrown by a cell's callbacks after the cell has replied. They are shown
 * under the cell that scheduled the callback (output routing finds it) instead of ending the
 * kernel, which is Node's default.
 */
import { thrownError } from "./error-content.js";

/** Writes `error` to stderr (the cell's, when it came from a cell), without kernel frames. */
export function reportUncaught(kind: "Uncaught" | "Unhandled rejection", error: unknown): void {
  const { traceback } = thrownError(error);
  process.stderr.write(`${kind}: ${traceback.join("\n")}\n`);
}
