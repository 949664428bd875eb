// The drawing pad's ink: a 28 × 28 grid of values in [0, 1]. A brush stamp adds ink with a soft
// (Gaussian) edge, as MNIST's anti-aliased, thick strokes look; erasing takes it away. A stroke
// stamps along the segment between two mouse positions so fast moves leave no gaps.

export const PAD_SIZE = 28;

export interface Brush {
  radius: number; // in pad pixels (1 to 2.2 is MNIST-like; wider strokes fill a digit in)
  strength: number; // ink added at the centre per stamp, 0..1
}

export function emptyPad(): Float32Array {
  return new Float32Array(PAD_SIZE * PAD_SIZE);
}

/** Adds (or, when erase, removes) one soft stamp centred at (x, y), in pad coordinates. */
export function stamp(pad: Float32Array, x: number, y: number, brush: Brush, erase = false): void {
  const r = brush.radius;
  const reach = Math.ceil(r * 2);
  for (let py = Math.floor(y - reach); py <= Math.ceil(y + reach); py++) {
    for (let px = Math.floor(x - reach); px <= Math.ceil(x + reach); px++) {
      if (px < 0 || py < 0 || px >= PAD_SIZE || py >= PAD_SIZE) continue;
      const dx = px + 0.5 - x;
      const dy = py + 0.5 - y;
      const w = Math.exp(-(dx * dx + dy * dy) / (2 * (r * 0.6) ** 2));
      if (w < 0.02) continue;
      const i = py * PAD_SIZE + px;
      pad[i] = erase ? Math.max(0, pad[i] - w) : Math.min(1, pad[i] + brush.strength * w);
    }
  }
}

/** Stamps every half pixel along the segment from (x0, y0) to (x1, y1). */
export function strokeSegment(
  pad: Float32Array,
  x0: number,
  y0: number,
  x1: number,
  y1: number,
  brush: Brush,
  erase = false,
): void {
  const steps = Math.max(1, Math.ceil(Math.hypot(x1 - x0, y1 - y0) * 2));
  for (let s = 1; s <= steps; s++) stamp(pad, x0 + ((x1 - x0) * s) / steps, y0 + ((y1 - y0) * s) / steps, brush, erase);
}
