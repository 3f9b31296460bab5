/**
 * The Jupyter tests run the real kernel, `node dist/kernel/main.js`, installed as a kernelspec
 * under a temporary prefix. dist/ is rebuilt first when it is older than the sources.
 */
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";

/** The repository's root folder. */
export const root = fileURLToPath(new URL("../../..", import.meta.url));

function sources(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) return sources(path);
    return entry.name.endsWith(".ts") ? [path] : [];
  });
}

function stale(): boolean {
  return ["kernel", "engine"].some((folder) =>
    sources(join(root, folder)).some((source) => {
      const built = join(root, "dist", relative(root, source)).replace(/\.ts$/, ".js");
      return !existsSync(built) || statSync(built).mtimeMs < statSync(source).mtimeMs;
    }),
  );
}

/** Builds dist/ when it is older than the kernel's or the engine's sources. */
export function buildKernel(): void {
  if (stale()) {
    // tsc writes the output even when another part of the tree has a type error.
    spawnSync(
      process.execPath,
      [join(root, "node_modules", "typescript", "bin", "tsc"), "-p", "tsconfig.build.json"],
      { cwd: root, stdio: "ignore" },
    );
  }
  if (!existsSync(join(root, "dist", "kernel", "main.js"))) {
    throw new Error("dist/kernel/main.js is missing and could not be built");
  }
}
