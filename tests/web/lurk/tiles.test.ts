import { describe, expect, it } from 'vitest';
import { crop, heat, hotColor, maxAbs } from '../../../web/src/views/lurk/tiles';

describe('Lurk tiles', () => {
  it('heat is |v| over the largest |v|, and a zero map stays zero', () => {
    expect(Array.from(heat([-2, 1, 0]))).toEqual([1, 0.5, 0]);
    expect(Array.from(heat([0, 0]))).toEqual([0, 0]);
    expect(maxAbs([-3, 2])).toBe(3);
  });

  it('hot colours grow brighter with the heat', () => {
    expect(hotColor(0)).toEqual([0, 0, 0]);
    expect(hotColor(1)).toEqual([255, 255, 255]);
    const brightness = [0, 0.2, 0.4, 0.6, 0.8, 1].map((t) => hotColor(t).reduce((a, b) => a + b, 0));
    expect(brightness).toEqual([...brightness].sort((a, b) => a - b));
  });

  it('crops a receptive-field box [y0, x0, y1, x1) out of an image', () => {
    const image = Float32Array.from({ length: 16 }, (_, i) => i); // 4 × 4
    expect(Array.from(crop(image, 4, [1, 2, 3, 4]))).toEqual([6, 7, 10, 11]);
  });
});
