import { describe, expect, it } from 'vitest';
import { boundsOf, halfPlaneInBox, separatorSegment, surfaceCoordinate, surfaceHeights } from '../../../web/src/views/inside/geometry';

describe('boundsOf', () => {
  it('spans each axis with a margin and skips values that are not finite', () => {
    const box = boundsOf([0, 10, 2, NaN, 1, 20], 2, 0.1);
    expect(box.min[0]).toBeCloseTo(-0.2);
    expect(box.max[0]).toBeCloseTo(2.2);
    expect(box.min[1]).toBeCloseTo(9);
    expect(box.max[1]).toBeCloseTo(21);
  });
});

describe('separatorSegment', () => {
  const box = { min: [-1, -1], max: [1, 1] };
  it('clips the diagonal x1 - x2 = 0 to the corners of the box', () => {
    const s = separatorSegment([1, -1], 0, box)!;
    const ends = s.map(([x, y]) => [Math.round(x), Math.round(y)]).sort((a, b) => a[0] - b[0]);
    expect(ends).toEqual([[-1, -1], [1, 1]]);
  });
  it('gives a vertical line for w2 = 0 and nothing for a line outside the box', () => {
    const s = separatorSegment([2, 0], -1, box)!; // x1 = 0.5
    expect(s[0][0]).toBeCloseTo(0.5);
    expect(s[1][0]).toBeCloseTo(0.5);
    expect(Math.abs(s[0][1] - s[1][1])).toBeCloseTo(2);
    expect(separatorSegment([1, 0], -5, box)).toBeNull();
    expect(separatorSegment([0, 0], 1, box)).toBeNull();
  });
});

describe('surface', () => {
  it('samples alpha from -extent to extent with the centre in the middle', () => {
    expect(surfaceCoordinate(0, 41, 2)).toBe(-2);
    expect(surfaceCoordinate(20, 41, 2)).toBe(0);
    expect(surfaceCoordinate(40, 41, 2)).toBe(2);
  });
  it('maps losses to heights in [0, 1] that rise with the loss, NaN where the loss is not finite', () => {
    const { heights, height } = surfaceHeights([0.01, 0.1, 1, Infinity]);
    expect(heights[2]).toBeCloseTo(1);
    expect(heights[0]).toBeGreaterThan(0);
    expect(heights[0]).toBeLessThan(heights[1]);
    expect(heights[1]).toBeLessThan(heights[2]);
    expect(Number.isNaN(heights[3])).toBe(true);
    expect(height(0.1)).toBeCloseTo(heights[1]);
  });
});

describe('halfPlaneInBox', () => {
  const box = { min: [-1, -1], max: [1, 1] };
  /** A polygon's area (shoelace). */
  const area = (p: [number, number][]) => Math.abs(p.reduce((s, [x, y], i) => s + x * p[(i + 1) % p.length][1] - p[(i + 1) % p.length][0] * y, 0)) / 2;
  it('keeps the side where w·x + b >= 0: half the box for a line through its centre', () => {
    const right = halfPlaneInBox([1, 0], 0, box);
    expect(area(right)).toBeCloseTo(2);
    expect(right.every(([x]) => x >= 0)).toBe(true);
  });
  it('cuts a corner triangle off the box for x1 + x2 - 1.5 >= 0', () => {
    const corner = halfPlaneInBox([1, 1], -1.5, box);
    expect(corner).toHaveLength(3);
    expect(area(corner)).toBeCloseTo(0.125); // legs of 0.5
  });
  it('is the whole box or nothing when the line misses it', () => {
    expect(area(halfPlaneInBox([1, 0], 5, box))).toBeCloseTo(4);
    expect(halfPlaneInBox([1, 0], -5, box)).toEqual([]);
  });
});
