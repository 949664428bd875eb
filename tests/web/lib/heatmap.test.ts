import { describe, expect, it } from 'vitest';
import { domainToPixel, gridToRGBA } from '../../../web/src/lib/heatmap';

describe('gridToRGBA', () => {
  it('writes each value as opaque RGBA, row-major', () => {
    const rgba = gridToRGBA([-1, 0, 1, 0.5], 2, 2);
    expect(Array.from(rgba)).toEqual([
      245, 147, 34, 255, /**/ 232, 234, 235, 255,
      8, 119, 189, 255, /**/ 120, 177, 212, 255,
    ]);
  });

  it('fills the given buffer in place, as ImageData.data', () => {
    const out = new Uint8ClampedArray(3 * 4).fill(7);
    const returned = gridToRGBA(new Float32Array([1, 1, -1]), 3, 1, out);
    expect(returned).toBe(out);
    expect(Array.from(out.slice(8))).toEqual([245, 147, 34, 255]);
  });

  it('rejects a grid whose size does not match', () => {
    expect(() => gridToRGBA([0, 0, 0], 2, 2)).toThrow('gridToRGBA: 3 values for a 2×2 grid');
    expect(() => gridToRGBA([0], 1, 1, new Uint8ClampedArray(3))).toThrow(/holds 3 bytes, needs 4/);
  });
});

describe('domainToPixel', () => {
  const toPx = domainToPixel({ x_min: -6, x_max: 6, y_min: -6, y_max: 6 }, 400, 400);

  it('puts x_min at the left and y_max at the top', () => {
    expect(toPx.x(-6)).toBe(0);
    expect(toPx.x(6)).toBe(400);
    expect(toPx.y(6)).toBe(0);
    expect(toPx.y(-6)).toBe(400);
    expect([toPx.x(0), toPx.y(0)]).toEqual([200, 200]);
  });

  it('handles a domain that is not square or centred', () => {
    const p = domainToPixel({ x_min: 0, x_max: 4, y_min: -1, y_max: 1 }, 200, 100);
    expect([p.x(1), p.y(0.5)]).toEqual([50, 25]);
  });
});
