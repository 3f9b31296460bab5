/**
 * Text widths without a canvas: the advance widths of Helvetica/Arial (the fonts a browser
 * picks for `sans-serif` on most systems), so node sizes and vega's label layout in Node come
 * close to what a browser draws. Vega's own fallback, 0.8 × characters × size, overestimates
 * narrow letters and underestimates wide ones.
 */

// Advance widths in 1/1000 em of the printable ASCII characters, from " " (32) to "~" (126).
// prettier-ignore
const ASCII = [
  278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278, // space to /
  556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556, // 0 to ?
  1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778, // @ to O
  667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556, // P to _
  333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556, // ` to o
  556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584, // p to ~
];

/** Bold glyphs of the same fonts are about this much wider on average. */
const BOLD_FACTOR = 1.07;
/** Other characters: wide (CJK, emoji) take a full em, the rest an average letter. */
const WIDE = 1000;
const OTHER = 556;

/** The width in pixels of `text` in a sans-serif font of `fontSize` pixels. */
export function textWidth(text: string, fontSize: number, bold = false): number {
  let units = 0;
  for (const char of text) {
    const code = char.codePointAt(0) ?? 32;
    units += code >= 32 && code <= 126 ? (ASCII[code - 32] ?? OTHER) : isWide(code) ? WIDE : OTHER;
  }
  return (units / 1000) * fontSize * (bold ? BOLD_FACTOR : 1);
}

/** The longest start of `text` (with an ellipsis when cut) that fits in `maxWidth` pixels. */
export function fitText(text: string, fontSize: number, maxWidth: number): string {
  if (textWidth(text, fontSize) <= maxWidth) return text;
  const chars = [...text];
  const room = maxWidth - textWidth("…", fontSize);
  let width = 0;
  let end = 0;
  for (; end < chars.length; end++) {
    const next = width + textWidth(chars[end] as string, fontSize);
    if (next > room) break;
    width = next;
  }
  return `${chars.slice(0, end).join("")}…`;
}

function isWide(code: number): boolean {
  return (
    (code >= 0x1100 && code <= 0x115f) ||
    (code >= 0x2e80 && code <= 0xa4cf) ||
    (code >= 0xac00 && code <= 0xd7a3) ||
    (code >= 0xf900 && code <= 0xfaff) ||
    (code >= 0xfe30 && code <= 0xfe4f) ||
    (code >= 0xff00 && code <= 0xff60) ||
    (code >= 0xffe0 && code <= 0xffe6) ||
    code >= 0x1f300
  );
}
