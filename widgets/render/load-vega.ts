/**
 * Vega and Vega-Lite, loaded on first use. Both are ESM with top-level await, so a static
 * import would make the whole package impossible to `require()`; a dynamic import inside the
 * render functions keeps `widgets/` loadable from CommonJS and costs nothing until a render.
 */
import type * as Vega from "vega";
import type * as VegaLite from "vega-lite";
import { textWidth } from "./glyph-widths.js";

/** The two libraries a render needs. */
export interface VegaLibraries {
  readonly vega: typeof Vega;
  readonly vegaLite: typeof VegaLite;
}

/** The part of vega's (untyped) text measurer a render sets. */
interface TextMetrics {
  width: (item: TextItem, text: string) => number;
}

interface TextItem {
  readonly fontSize?: number;
  readonly fontWeight?: string | number;
  readonly limit?: number;
}

let loading: Promise<VegaLibraries> | undefined;

/** Vega and Vega-Lite, imported once, with text measured from a glyph table. */
export function loadVega(): Promise<VegaLibraries> {
  loading ??= Promise.all([import("vega"), import("vega-lite")]).then(([vega, vegaLite]) => {
    measureTextWithGlyphTable(vega);
    return { vega, vegaLite };
  });
  return loading;
}

// Without a canvas vega guesses 0.8 × characters × size for every label, which is far off
// for names like "illimitable" or "WWW". Vega calls a user-set `width` with text it may
// need to cut, and checks `width < limit` to decide, so a width past the limit is reported
// as the limit itself (what the cut text will measure).
function measureTextWithGlyphTable(vega: typeof Vega): void {
  const metrics = (vega as unknown as { readonly textMetrics: TextMetrics }).textMetrics;
  metrics.width = (item, text) => {
    const size = item.fontSize ?? 11;
    const bold = item.fontWeight === "bold" || Number(item.fontWeight) >= 600;
    const width = textWidth(String(text ?? ""), size, bold);
    const limit = item.limit ?? 0;
    return limit > 0 ? Math.min(width, limit) : width;
  };
}
