/**
 * Vega-Lite 5.6.1, the version JupyterLab 4 ships, to check specs against. Its CommonJS build
 * does `require("vega")`, which fails under Node 20 (vega 6 is ESM with top-level await), so
 * the bundle is evaluated here with `vega` handed in.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import type { compile } from "vega-lite-5.6";

/** What Vega-Lite 5.6 said while compiling a spec. */
export interface Compiled56 {
  readonly spec: unknown;
  readonly warnings: readonly string[];
  readonly errors: readonly string[];
}

let loaded: Promise<typeof compile> | undefined;

/** Compiles a spec with Vega-Lite 5.6, collecting its warnings and errors. */
export async function compileWith56(spec: unknown): Promise<Compiled56> {
  const compile56 = await (loaded ??= load());
  const warnings: string[] = [];
  const errors: string[] = [];
  const logger = {
    level: () => logger,
    error: (...args: unknown[]) => (errors.push(args.join(" ")), logger),
    warn: (...args: unknown[]) => (warnings.push(args.join(" ")), logger),
    info: () => logger,
    debug: () => logger,
  };
  const result = compile56(spec as Parameters<typeof compile>[0], { logger });
  return { spec: result.spec, warnings, errors };
}

async function load(): Promise<typeof compile> {
  const vega = await import("vega");
  const file = createRequire(import.meta.url).resolve("vega-lite-5.6");
  const module = { exports: {} as { compile?: typeof compile; version?: string } };
  const requireVega = (id: string): unknown => {
    if (id === "vega") return vega;
    throw new Error(`vega-lite 5.6 asked for ${id}`);
  };
  // eslint-disable-next-line @typescript-eslint/no-implied-eval -- evaluating a vendored bundle
  const evaluate = new Function("exports", "module", "require", readFileSync(file, "utf8")) as (
    exports: object,
    module: object,
    require: (id: string) => unknown,
  ) => void;
  evaluate(module.exports, module, requireVega);
  if (module.exports.version !== "5.6.1" || module.exports.compile === undefined) {
    throw new Error(`expected Vega-Lite 5.6.1, found ${module.exports.version ?? "nothing"}`);
  }
  return module.exports.compile;
}
