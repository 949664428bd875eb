import { describe, expect, it } from 'vitest';
import { nodeIndex, outgoingNorms, paramIndex } from '../../../web/src/views/playground/networkModel';
import { CODE_COLORS, decodeUnit, paintCodes } from '../../../web/src/lib/unitMap';
import { NEGATIVE, POSITIVE } from '../../../web/src/lib/colorScale';

describe('paramIndex', () => {
  // 2 -> 3 -> 1: W0 (2x3) at 0..5, b0 at 6..8, W1 (3x1) at 9..11, b1 at 12.
  const index = paramIndex([
    { in: 2, out: 3 },
    { in: 3, out: 1 },
  ]);
  it('places weights row-major by input, then biases, layer after layer', () => {
    expect(index.weight(0, 0, 0)).toBe(0);
    expect(index.weight(0, 1, 2)).toBe(5);
    expect(index.bias(0, 2)).toBe(8);
    expect(index.weight(1, 2, 0)).toBe(11);
    expect(index.bias(1, 0)).toBe(12);
    expect(index.total).toBe(13);
  });
  it('refuses a layer that does not exist', () => {
    expect(() => index.weight(2, 0, 0)).toThrow('no layer 2');
  });
  it('measures outgoing weights per unit', () => {
    const params = new Float32Array(13);
    params[9] = 3; // unit 0 -> output
    params[11] = -4; // unit 2 -> output
    expect(Array.from(outgoingNorms(params, index, 1, { in: 3, out: 1 }))).toEqual([3, 0, 4]);
  });
});

describe('nodeIndex', () => {
  it('counts features, hidden units, then the output', () => {
    const at = nodeIndex(3, [4, 2]);
    expect(at(0, 2)).toBe(2);
    expect(at(1, 0)).toBe(3);
    expect(at(2, 1)).toBe(8);
    expect(at(3, 0)).toBe(9);
  });
});

describe('unit codes', () => {
  it('decode to [-1, 1] and paint with the colour scale', () => {
    expect(decodeUnit(0)).toBe(-1);
    expect(decodeUnit(255)).toBe(1);
    expect(Array.from(CODE_COLORS.slice(0, 3))).toEqual(NEGATIVE);
    const image = { data: new Uint8ClampedArray(2 * 1 * 4), width: 2 };
    paintCodes(new Uint8Array([255]), 1, image, 1, 0);
    expect(Array.from(image.data.slice(4, 8))).toEqual([...POSITIVE, 255]);
    expect(Array.from(image.data.slice(0, 4))).toEqual([0, 0, 0, 0]);
  });
});
