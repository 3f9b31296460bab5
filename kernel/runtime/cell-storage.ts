/**
 * Which cell is running: an AsyncLocalStorage, so every callback, timer and promise that code
 * in a cell creates keeps writing to that cell, also after the cell's reply (late output).
 */
import { AsyncLocalStorage } from "node:async_hooks";
import type { CellScope } from "./cell-scope.js";

const storage = new AsyncLocalStorage<CellScope>();

/** The cell whose code is running now, if any. */
export function currentCell(): CellScope | undefined {
  return storage.getStore();
}

/** Runs `fn` (and everything it schedules) as part of `cell`. */
export function runInCell<T>(cell: CellScope, fn: () => T): T {
  return storage.run(cell, fn);
}
