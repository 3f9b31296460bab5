/** The version of the TypeScript that checks cells (tslab's fork), read without loading it. */
import { createRequire } from "node:module";

/** `5.0.4` for tslab 1.0.22. */
export function typescriptVersion(): string {
  const tslab = createRequire(import.meta.url).resolve("tslab/package.json");
  const manifest = createRequire(tslab)("@tslab/typescript-for-tslab/package.json") as {
    version?: string;
  };
  return manifest.version ?? "unknown";
}
