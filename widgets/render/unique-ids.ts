/**
 * Ids unique per chart. Vega numbers its clip paths and gradients from 1 in each process, so
 * two SVGs in one notebook page (two cells, or two kernel sessions) would share `clip1` and
 * the second chart would be clipped by the first one's rectangle.
 */
import { randomBytes } from "node:crypto";

// A random part per process (kernels restart) and a counter per chart.
const processTag = randomBytes(3).toString("hex");
let charts = 0;

/** A prefix no other chart in this or another process uses. */
export function nextIdPrefix(): string {
  charts++;
  return `wg${processTag}${charts.toString(36)}-`;
}

/** Prefixes every `id` in an SVG document and every reference to one. */
export function prefixIds(svg: string, prefix: string): string {
  const ids = new Set<string>();
  for (const match of svg.matchAll(/\sid="([^"]+)"/g)) ids.add(match[1] as string);
  if (ids.size === 0) return svg;
  return svg
    .replace(/(\sid=")([^"]+)"/g, (_all, head: string, id: string) => `${head}${prefix}${id}"`)
    .replace(/url\(#([^)]+)\)/g, (all, id: string) => (ids.has(id) ? `url(#${prefix}${id})` : all))
    .replace(/(href=")#([^"]+)"/g, (all, head: string, id: string) =>
      ids.has(id) ? `${head}#${prefix}${id}"` : all,
    );
}
