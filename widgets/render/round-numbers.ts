/**
 * Shorter SVG: vega writes coordinates with all their digits (`159.4425178849451`); two
 * decimals are a hundredth of a pixel, and halve the size of a large graph's SVG.
 */

/** Rounds every number with more than two decimals inside the document's attribute values. */
export function roundNumbers(svg: string): string {
  return svg.replace(/="([^"]*)"/g, (attribute: string, value: string) =>
    /\.\d{3}/.test(value) ? `="${value.replace(/(\.\d\d)\d+/g, "$1")}"` : attribute,
  );
}
