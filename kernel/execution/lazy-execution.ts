/**
 * The execution, loaded and created on first use (or when warmed): loading tslab and starting
 * its compiler take over a second, and the kernel answers `kernel_info` long before.
 */
import type { CodeExecution } from "./code-execution.js";

/** Access to an execution that may not exist yet. */
export interface LazyExecution {
  /** The execution, loading it if needed. */
  get(): Promise<CodeExecution>;
  /** The execution if it already exists: nothing runs before it does. */
  current(): CodeExecution | undefined;
  /** Starts loading now, in the background. */
  warm(): void;
}

/** Wraps `load` so it runs once, at first use. */
export function createLazyExecution(load: () => Promise<CodeExecution>): LazyExecution {
  let loading: Promise<CodeExecution> | undefined;
  let execution: CodeExecution | undefined;
  const get = () =>
    (loading ??= load().then((created) => {
      execution = created;
      return created;
    }));
  return {
    get,
    current: () => execution,
    warm() {
      // A failed load is reported to the request that needs the execution.
      get().then(
        (created) => created.warmUp?.(),
        () => {},
      );
    },
  };
}
