/**
 * Cursor positions: Jupyter counts Unicode code points (protocol 5.2+), JavaScript strings and
 * TypeScript count UTF-16 code units. They differ after any character outside the BMP.
 */

/** The UTF-16 index of the `codePoints`-th code point of `text`. */
export function toUtf16Index(text: string, codePoints: number): number {
  let index = 0;
  for (let seen = 0; seen < codePoints && index < text.length; seen++) {
    index += (text.codePointAt(index) ?? 0) > 0xffff ? 2 : 1;
  }
  return index;
}

/** How many code points the first `index` UTF-16 units of `text` hold. */
export function toCodePoints(text: string, index: number): number {
  let count = 0;
  for (let at = 0; at < index && at < text.length; count++) {
    at += (text.codePointAt(at) ?? 0) > 0xffff ? 2 : 1;
  }
  return count;
}
