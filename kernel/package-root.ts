/** Finds the installed package's root, from source (tsx, vitest) and from dist/ alike. */
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** The nearest folder above `moduleUrl` whose package.json is the workgraph package's. */
export function packageRoot(moduleUrl: string): string {
  let dir = dirname(fileURLToPath(moduleUrl));
  for (;;) {
    const manifest = join(dir, "package.json");
    if (existsSync(manifest) && isWorkgraph(manifest)) return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no workgraph package.json above ${moduleUrl}`);
    dir = parent;
  }
}

function isWorkgraph(manifest: string): boolean {
  try {
    return (JSON.parse(readFileSync(manifest, "utf8")) as { name?: unknown }).name === "workgraph";
  } catch {
    return false;
  }
}
