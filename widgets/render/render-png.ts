/**
 * An SVG to a PNG, for front ends that show no SVG (an untrusted notebook in classic Jupyter,
 * GitHub's viewer, documentation tools). resvg renders off the main thread; its binary comes
 * in its npm package, and it is loaded on first use.
 */

/** The largest PNG side, in pixels: larger charts are scaled down to fit. */
const MAX_WIDTH = 1600;
const MAX_HEIGHT = 4000;

/** Sans-serif faces tried in order, so that labels show wherever the PNG is made. */
const SANS = "DejaVu Sans";

/** The PNG of an SVG document, base64-encoded as notebooks store it. */
export async function renderPng(svg: string): Promise<string> {
  const { renderAsync } = await import("@resvg/resvg-js");
  const { width, height } = svgSize(svg);
  const zoom = Math.min(1, MAX_WIDTH / width, MAX_HEIGHT / height);
  const image = await renderAsync(svg, {
    fitTo: { mode: "zoom", value: zoom },
    background: "white",
    font: { loadSystemFonts: true, defaultFontFamily: SANS, sansSerifFamily: SANS },
    logLevel: "off",
  });
  return image.asPng().toString("base64");
}

/** The width and height an SVG document declares (vega always declares them). */
export function svgSize(svg: string): { readonly width: number; readonly height: number } {
  const head = /<svg\b[^>]*>/.exec(svg)?.[0] ?? "";
  const number = (name: string): number => {
    const value = Number(new RegExp(`\\b${name}="([\\d.]+)`).exec(head)?.[1]);
    return Number.isFinite(value) && value > 0 ? value : 1;
  };
  return { width: number("width"), height: number("height") };
}
