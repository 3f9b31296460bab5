/**
 * Builds dist/ once before the tests: the CLI, kernel, notebook and package tests run the
 * built code in child processes, as users do. The build is incremental (tsconfig.build.json):
 * right after `npm ci`, whose `prepare` built dist/, it only checks that nothing changed.
 */
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export default function setup(): void {
  const root = fileURLToPath(new URL("..", import.meta.url));
  const tsc = join(root, "node_modules", "typescript", "bin", "tsc");
  const result = spawnSync(process.execPath, [tsc, "-p", "tsconfig.build.json"], {
    cwd: root,
    encoding: "utf8",
  });
  if (result.status !== 0)
    throw new Error(`building dist/ failed:\n${result.stdout}${result.stderr}`);
}
