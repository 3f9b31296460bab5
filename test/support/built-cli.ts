/**
 * The CLI tests run the real command, `node dist/cli/main.js`. This builds dist/ first when
 * it is missing or older than the sources of the CLI and the store.
 */
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { root } from "./repo-root.js";

function sources(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) return sources(path);
    return entry.name.endsWith(".ts") ? [path] : [];
  });
}

function stale(): boolean {
  return ["cli", "engine"].some((folder) =>
    sources(join(root, folder)).some((source) => {
      const built = join(root, "dist", relative(root, source)).replace(/\.ts$/, ".js");
      return !existsSync(built) || statSync(built).mtimeMs < statSync(source).mtimeMs;
    }),
  );
}

/** Builds dist/ when it is older than the sources; returns the path of the CLI entry. */
export function builtCli(): string {
  const main = join(root, "dist", "cli", "main.js");
  if (stale()) {
    // tsc writes the output even when another part of the tree has a type error.
    spawnSync(
      process.execPath,
      [join(root, "node_modules", "typescript", "bin", "tsc"), "-p", "tsconfig.build.json"],
      {
        cwd: root,
        stdio: "ignore",
      },
    );
  }
  if (!existsSync(main)) throw new Error("dist/cli/main.js is missing and could not be built");
  return main;
}
