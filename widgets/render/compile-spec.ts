/**
 * A Vega-Lite spec compiled to Vega here, with the Vega-Lite this package depends on: a page
 * that embeds the compiled spec needs no Vega-Lite of its own, and no browser compares a v5
 * spec's `$schema` with a v6 compiler.
 */
import type { TopLevelSpec } from "vega-lite";
import { loadVega } from "./load-vega.js";

/** The Vega spec of a Vega-Lite spec, compiled without warnings on the console. */
export async function compileToVega(spec: TopLevelSpec): Promise<object> {
  const { vega, vegaLite } = await loadVega();
  return vegaLite.compile(spec, { logger: vega.logger(vega.Error) }).spec;
}
