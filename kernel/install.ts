/**
 * Installs the kernelspec: `kernel.json` (argv runs `node <package>/dist/kernel/main.js`, by
 * absolute paths, so it works from a local install and a global one) and two logos.
 */
import { mkdir, rm, writeFile } from "node:fs/promises";
import { join, sep } from "node:path";
import { drawLogo } from "./kernelspec/logo.js";
import { kernelsDir, type Scope } from "./kernelspec/locations.js";
import { encodePng } from "./kernelspec/png.js";
import * as messages from "./messages.js";
import { packageRoot } from "./package-root.js";

export type { Scope } from "./kernelspec/locations.js";

/** The kernel's name in Jupyter (the folder under `kernels/`). */
export const KERNEL_NAME = "workgraph";

/** Options of {@link installKernel} and {@link uninstallKernel}. */
export interface InstallOptions {
  readonly scope: Scope;
  /** The node binary Jupyter runs; defaults to the one running now. */
  readonly node?: string;
  readonly env?: NodeJS.ProcessEnv;
}

/** The content of kernel.json. */
export function kernelSpec(node: string, main: string): Record<string, unknown> {
  return {
    argv: [node, main, "{connection_file}"],
    display_name: "TypeScript (workgraph)",
    language: "typescript",
    interrupt_mode: "signal",
    metadata: { debugger: false },
  };
}

/** The kernel's entry point in the installed package. */
export function kernelMain(): string {
  return join(packageRoot(import.meta.url), "dist", "kernel", "main.js");
}

/** What {@link installKernel} did. */
export interface InstalledKernel {
  /** The kernelspec's folder. */
  readonly dir: string;
  /** The kernel entry point the kernelspec runs. */
  readonly main: string;
  /** Things the person installing should know (e.g. a path that may vanish). */
  readonly warnings: readonly string[];
}

/** Writes the kernelspec. */
export async function installKernel(options: InstallOptions): Promise<InstalledKernel> {
  const dir = join(kernelsDir(options.scope, options.env), KERNEL_NAME);
  const main = kernelMain();
  await mkdir(dir, { recursive: true });
  const spec = kernelSpec(options.node ?? process.execPath, main);
  await writeFile(join(dir, "kernel.json"), `${JSON.stringify(spec, null, 2)}\n`);
  for (const size of [32, 64]) {
    await writeFile(join(dir, `logo-${size}x${size}.png`), encodePng(size, size, drawLogo(size)));
  }
  const warnings = main.split(sep).includes("_npx") ? [messages.npxCacheWarning(main)] : [];
  return { dir, main, warnings };
}

/** Removes the kernelspec; resolves with the folder it removed. */
export async function uninstallKernel(options: InstallOptions): Promise<string> {
  const dir = join(kernelsDir(options.scope, options.env), KERNEL_NAME);
  await rm(dir, { recursive: true, force: true });
  return dir;
}
