import { describe, expect, it } from 'vitest';
import { FULL_PITCH, LABEL_MARGIN, MIN_PITCH, WIDE_HEAD, layoutGraph } from '../../../web/src/views/playground/graphLayout';
import { classProbabilityToRGBA } from '../../../web/src/lib/heatmap';
import { CLASS_COLORS } from '../../../web/src/lib/colorScale';

describe('layoutGraph', () => {
  it('keeps TensorFlow Playground spacing when the card has room', () => {
    const l = layoutGraph([7, 4, 2, 1], 1000);
    expect(l.pitch).toBe(FULL_PITCH);
    expect(l.sizes).toEqual([36, 36, 36, 36]);
    expect(l.headWidth).toBe(WIDE_HEAD);
    expect(l.top).toBe(56);
  });
  it('closes up ten hidden layers, then draws them smaller, so the output stays inside the width', () => {
    for (const available of [300, 420, 560, 800]) {
      const l = layoutGraph([7, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 1], available);
      expect(l.pitch).toBeLessThan(FULL_PITCH);
      expect(l.pitch).toBeGreaterThanOrEqual(MIN_PITCH);
      expect(LABEL_MARGIN + l.width * l.scale).toBeLessThanOrEqual(available);
      expect(l.scale).toBe(l.pitch > MIN_PITCH ? 1 : (available - LABEL_MARGIN) / l.width);
      expect(Math.max(...l.sizes)).toBeLessThanOrEqual(l.pitch - 18);
      expect(l.headWidth).toBeLessThan(WIDE_HEAD);
      expect(l.top).toBe(80);
    }
  });
  it('leaves room for class labels right of the output column', () => {
    const l = layoutGraph([7, 8, 8, 8, 8, 8, 8, 7], 600, 22);
    expect(LABEL_MARGIN + l.width).toBeLessThanOrEqual(600);
    expect(l.width).toBe(7 * l.pitch + l.sizes[7] + 22);
  });
});

describe('classProbabilityToRGBA', () => {
  it('paints a class probability from white (0) to the class colour (1)', () => {
    const out = classProbabilityToRGBA([0, 1, 0.5], 3, 3, new Uint8ClampedArray(12));
    expect(Array.from(out.subarray(0, 4))).toEqual([255, 255, 255, 255]);
    expect(Array.from(out.subarray(4, 7))).toEqual(CLASS_COLORS[3]);
    expect(Array.from(out.subarray(8, 11))).toEqual(CLASS_COLORS[3].map((c) => Math.round(255 + (c - 255) * 0.5)));
  });
});
