/** The repository and its built code (dist/ is built once by test/global-setup.ts). */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

/** The repository's root folder (with a trailing slash). */
export const root = fileURLToPath(new URL("../..", import.meta.url));

/** The path of a built file under dist/, which must exist. */
export function built(relative: string): string {
  const path = join(root, "dist", relative);
  if (!existsSync(path)) throw new Error(`${path} is missing: dist/ was not built`);
  return path;
}
