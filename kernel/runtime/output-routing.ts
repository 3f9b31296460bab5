/**
 * Sends what code writes to `process.stdout` / `process.stderr` (so `console.log` too) to the
 * cell it runs for. Writes outside any cell, such as the kernel's own log, go to the process's
 * streams as before.
 */
import { Console } from "node:console";
import type { CellScope } from "./cell-scope.js";

/** Routes both streams through `current`; returns a function that undoes it. */
export function routeProcessOutput(current: () => CellScope | undefined): () => void {
  const restore = (["stdout", "stderr"] as const).map((name) => {
    const stream = process[name];
    const own = Object.getOwnPropertyDescriptor(stream, "write");
    const original = stream.write.bind(stream);
    const routed = (
      chunk: string | Uint8Array,
      encoding?: BufferEncoding | ((error?: Error | null) => void),
      callback?: (error?: Error | null) => void,
    ): boolean => {
      const cell = current();
      if (cell === undefined) {
        return (original as (...args: unknown[]) => boolean)(chunk, encoding, callback);
      }
      const text =
        typeof chunk === "string"
          ? chunk
          : Buffer.from(chunk).toString(typeof encoding === "string" ? encoding : "utf8");
      cell.output.write(name, text);
      const done = typeof encoding === "function" ? encoding : callback;
      if (done !== undefined) process.nextTick(done);
      return true;
    };
    stream.write = routed;
    return () => {
      if (own !== undefined) Object.defineProperty(stream, "write", own);
      else delete (stream as { write?: unknown }).write;
    };
  });
  // A console on the process's streams, in case the host replaced the global one (test runners).
  const previousConsole = globalThis.console;
  globalThis.console = new Console({ stdout: process.stdout, stderr: process.stderr });
  return () => {
    globalThis.console = previousConsole;
    restore.forEach((undo) => undo());
  };
}
