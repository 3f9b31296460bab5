/**
 * The kernel's logo, drawn at any size: a small task graph (two tasks feeding a third) on a
 * rounded blue square. Shapes are signed distance fields, so edges are anti-aliased.
 */

type Rgb = readonly [number, number, number];

interface Shape {
  /** Signed distance from the shape's edge, in pixels (negative inside). */
  distance(x: number, y: number): number;
  readonly colour: Rgb;
}

const BLUE: Rgb = [0x2f, 0x6f, 0xdd];
const WHITE: Rgb = [0xff, 0xff, 0xff];
const GREEN: Rgb = [0x3c, 0xb3, 0x71];
const AMBER: Rgb = [0xf5, 0xa6, 0x23];

/** RGBA pixels of the logo, `size` × `size`. */
export function drawLogo(size: number): Uint8Array {
  const u = size / 32; // the design is on a 32 × 32 grid
  const a = [9 * u, 10 * u] as const;
  const b = [23 * u, 10 * u] as const;
  const c = [16 * u, 23 * u] as const;
  const shapes: Shape[] = [
    { colour: BLUE, distance: (x, y) => roundedSquare(x, y, size, 6 * u) },
    { colour: WHITE, distance: (x, y) => segment(x, y, a, c) - 1.2 * u },
    { colour: WHITE, distance: (x, y) => segment(x, y, b, c) - 1.2 * u },
    { colour: GREEN, distance: (x, y) => Math.hypot(x - a[0], y - a[1]) - 4.5 * u },
    { colour: GREEN, distance: (x, y) => Math.hypot(x - b[0], y - b[1]) - 4.5 * u },
    { colour: AMBER, distance: (x, y) => Math.hypot(x - c[0], y - c[1]) - 4.5 * u },
  ];
  const pixels = new Uint8Array(size * size * 4);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      let [r, g, bl, alpha] = [0, 0, 0, 0];
      for (const shape of shapes) {
        const cover = Math.min(1, Math.max(0, 0.5 - shape.distance(x + 0.5, y + 0.5)));
        if (cover === 0) continue;
        // "over" compositing, premultiplied
        r = shape.colour[0] * cover + r * (1 - cover);
        g = shape.colour[1] * cover + g * (1 - cover);
        bl = shape.colour[2] * cover + bl * (1 - cover);
        alpha = cover + alpha * (1 - cover);
      }
      const at = (y * size + x) * 4;
      const un = alpha > 0 ? 1 / alpha : 0;
      pixels.set([r * un, g * un, bl * un, alpha * 255].map(Math.round), at);
    }
  }
  return pixels;
}

function roundedSquare(x: number, y: number, size: number, radius: number): number {
  const half = size / 2;
  const qx = Math.abs(x - half) - (half - radius);
  const qy = Math.abs(y - half) - (half - radius);
  const outside = Math.hypot(Math.max(qx, 0), Math.max(qy, 0));
  return outside + Math.min(Math.max(qx, qy), 0) - radius;
}

function segment(x: number, y: number, p: readonly number[], q: readonly number[]): number {
  const [px = 0, py = 0] = p;
  const [qx = 0, qy = 0] = q;
  const [dx, dy] = [qx - px, qy - py];
  const t = Math.min(1, Math.max(0, ((x - px) * dx + (y - py) * dy) / (dx * dx + dy * dy)));
  return Math.hypot(x - (px + t * dx), y - (py + t * dy));
}
