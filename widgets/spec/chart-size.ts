/** What every spec shares: the schema it declares and how big a chart is drawn. */

/** The schema every spec declares: front ends render v5 (JupyterLab 4 ships Vega-Lite 5.6). */
export const VEGA_LITE_SCHEMA = "https://vega.github.io/schema/vega-lite/v5.json";

/** How big a chart may be. */
export interface SizeOptions {
  /** The chart's width at most, in pixels (default 900). */
  readonly maxWidth?: number;
  /** The chart's height at most, in pixels (default 560). */
  readonly maxHeight?: number;
}

interface Box {
  readonly x1: number;
  readonly x2: number;
  readonly y1: number;
  readonly y2: number;
}

/** The size that shows every box at scale 1, or scaled down (keeping the aspect) to fit. */
export function chartSize(
  boxes: readonly Box[],
  options: SizeOptions = {},
): { width: number; height: number } {
  let minX = 0;
  let maxX = 0;
  let minY = 0;
  let maxY = 0;
  if (boxes.length > 0) {
    minX = minY = Number.POSITIVE_INFINITY;
    maxX = maxY = Number.NEGATIVE_INFINITY;
    for (const b of boxes) {
      minX = Math.min(minX, b.x1);
      maxX = Math.max(maxX, b.x2);
      minY = Math.min(minY, b.y1);
      maxY = Math.max(maxY, b.y2);
    }
  }
  const width = maxX - minX + 24;
  const height = maxY - minY + 24;
  const scale = Math.min(1, (options.maxWidth ?? 900) / width, (options.maxHeight ?? 560) / height);
  return {
    width: Math.max(120, Math.round(width * scale)),
    height: Math.max(40, Math.round(height * scale)),
  };
}
