/**
 * Types of packages as Node's `require()` finds them. tslab checks cells with Node10 module
 * resolution, which knows no `"exports"`: a package whose types are only listed there, or a
 * subpath it exports (`pkg/sub`), is "Cannot find module" although the cell runs. Node10 first
 * looks for `<folder>/node_modules/<specifier>.d.ts`; the overlay answers that probe with the
 * file Node16 resolution (the `require` conditions, as the compiled cell loads it) finds.
 */
import type * as TypeScript from "@tslab/typescript-for-tslab";

const PROBE = /^(.*)\/node_modules\/((?:@[^/]+\/)?[^/@][^/]*(?:\/.+)?)\.d\.ts$/;
const DECLARATION = /\.d\.[cm]?ts$/;

/** Answers Node10's probes (`…/node_modules/<specifier>.d.ts`) with real declaration files. */
export function packageTypesResolver(
  ts: typeof TypeScript,
  host: TypeScript.ModuleResolutionHost,
): (probe: string) => string | undefined {
  // Only files found are remembered: a package installed later is found on the next probe.
  const found = new Map<string, string>();
  const options: TypeScript.CompilerOptions = {
    moduleResolution: ts.ModuleResolutionKind.Node16,
    module: ts.ModuleKind.Node16,
  };
  return (probe) => {
    const known = found.get(probe);
    if (known !== undefined) return known;
    const match = PROBE.exec(probe);
    let file: string | undefined;
    if (match !== null && !match[2]?.startsWith("@types/")) {
      const [, folder = "", specifier = ""] = match;
      const resolved = ts.resolveModuleName(
        specifier,
        `${folder}/__cell__.ts`,
        options,
        host,
        undefined,
        undefined,
        ts.ModuleKind.CommonJS,
      ).resolvedModule;
      if (resolved !== undefined && DECLARATION.test(resolved.resolvedFileName)) {
        file = resolved.resolvedFileName;
        found.set(probe, file);
      }
    }
    return file;
  };
}
