// Pure geometry for the Inside view's plots: bounds, the separator line and its half-plane
// clipped to a box, and a loss surface's vertices.

export interface Box {
  min: number[];
  max: number[];
}

/** The bounding box of points given as (n, dims) row-major values, widened by `margin` of its size (at least 0.1). */
export function boundsOf(values: ArrayLike<number>, dims: number, margin = 0.08): Box {
  const min = Array(dims).fill(Infinity);
  const max = Array(dims).fill(-Infinity);
  for (let i = 0; i < values.length; i++) {
    const d = i % dims;
    if (!Number.isFinite(values[i])) continue;
    min[d] = Math.min(min[d], values[i]);
    max[d] = Math.max(max[d], values[i]);
  }
  for (let d = 0; d < dims; d++) {
    if (!Number.isFinite(min[d])) [min[d], max[d]] = [-1, 1];
    const pad = Math.max(0.1, max[d] - min[d]) * margin;
    min[d] -= pad;
    max[d] += pad;
  }
  return { min, max };
}

/**
 * The segment of the line w·x + b = 0 inside a 2D box, or null when the line misses it (or w is 0).
 * Intersects the line with the box's four edges and keeps the two farthest-apart hits.
 */
export function separatorSegment(w: number[], b: number, box: Box): [[number, number], [number, number]] | null {
  const [w1, w2] = w;
  const hits: [number, number][] = [];
  const [x0, y0] = box.min;
  const [x1, y1] = box.max;
  if (w2 !== 0)
    for (const x of [x0, x1]) {
      const y = -(w1 * x + b) / w2;
      if (y >= y0 - 1e-12 && y <= y1 + 1e-12) hits.push([x, y]);
    }
  if (w1 !== 0)
    for (const y of [y0, y1]) {
      const x = -(w2 * y + b) / w1;
      if (x >= x0 - 1e-12 && x <= x1 + 1e-12) hits.push([x, y]);
    }
  if (hits.length < 2) return null;
  let best: [[number, number], [number, number]] = [hits[0], hits[1]];
  let far = -1;
  for (let i = 0; i < hits.length; i++)
    for (let j = i + 1; j < hits.length; j++) {
      const d = (hits[i][0] - hits[j][0]) ** 2 + (hits[i][1] - hits[j][1]) ** 2;
      if (d > far) [far, best] = [d, [hits[i], hits[j]]];
    }
  return far > 0 ? best : null;
}

/**
 * The part of a 2D box where w·x + b ≥ 0, as a convex polygon (empty when none of it is): the
 * box's corners clipped by the half-plane, one Sutherland–Hodgman pass.
 */
export function halfPlaneInBox(w: number[], b: number, box: Box): [number, number][] {
  const [x0, y0] = box.min;
  const [x1, y1] = box.max;
  const corners: [number, number][] = [[x0, y0], [x1, y0], [x1, y1], [x0, y1]];
  const side = ([x, y]: [number, number]) => w[0] * x + w[1] * y + b;
  const polygon: [number, number][] = [];
  corners.forEach((a, i) => {
    const c = corners[(i + 1) % 4];
    const [fa, fc] = [side(a), side(c)];
    if (fa >= 0) polygon.push(a);
    if ((fa >= 0) !== (fc >= 0)) {
      const t = fa / (fa - fc);
      polygon.push([a[0] + t * (c[0] - a[0]), a[1] + t * (c[1] - a[1])]);
    }
  });
  return polygon;
}

/**
 * Where sample (row, col) of a resolution² surface over [-extent, extent]² sits: alpha for the
 * column, beta for the row, as the server samples them (the middle sample is the centre).
 */
export function surfaceCoordinate(index: number, resolution: number, extent: number): number {
  return extent * ((2 * index) / (resolution - 1) - 1);
}

/**
 * Maps losses to heights in [0, 1] on a log scale, log(1 + L / s) with s the smallest finite
 * loss's tenth, so the valley's floor keeps its shape next to high walls; NaN for non-finite losses.
 */
export function surfaceHeights(losses: ArrayLike<number>): { heights: Float32Array; height: (loss: number) => number } {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < losses.length; i++)
    if (Number.isFinite(losses[i])) {
      lo = Math.min(lo, losses[i]);
      hi = Math.max(hi, losses[i]);
    }
  const s = Math.max(1e-12, Number.isFinite(lo) ? lo / 10 + 1e-9 : 1);
  const top = Math.log1p(Math.max(0, hi) / s) || 1;
  const height = (loss: number) => (Number.isFinite(loss) ? Math.log1p(Math.max(0, loss) / s) / top : NaN);
  const heights = new Float32Array(losses.length);
  for (let i = 0; i < losses.length; i++) heights[i] = height(losses[i]);
  return { heights, height };
}
