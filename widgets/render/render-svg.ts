/** A Vega-Lite spec to an SVG document, in Node, without a canvas. */
import type { TopLevelSpec } from "vega-lite";
import { loadVega } from "./load-vega.js";
import { roundNumbers } from "./round-numbers.js";
import { nextIdPrefix, prefixIds } from "./unique-ids.js";

/**
 * Compiles and renders a spec headless (`renderer: "none"`); ids are unique per chart and
 * coordinates rounded to a hundredth of a pixel.
 */
export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const { vega, vegaLite } = await loadVega();
  const compiled = vegaLite.compile(spec, { logger: quietLogger(vega) }).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: "none", logLevel: vega.Error });
  try {
    return prefixIds(roundNumbers(await view.toSVG()), nextIdPrefix());
  } finally {
    view.finalize();
  }
}

// Vega-Lite warns on the console by default; a render in a kernel must not write stray text.
function quietLogger(vega: Awaited<ReturnType<typeof loadVega>>["vega"]) {
  return vega.logger(vega.Error);
}
