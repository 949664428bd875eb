import { describe, expect, it } from 'vitest';
import { maxAbs, strongestInputs } from '../../../web/src/views/digits/connections';

describe('strongestInputs', () => {
  // 3 inputs, 2 outputs, input-major: w[i][o]
  const w = Float32Array.from([0.1, -2, 0.5, 0.3, -1, 1]);

  it('keeps the N largest |weight| per unit without activations', () => {
    const links = strongestInputs(w, 3, 2, null, 2);
    expect(links.filter((l) => l.to === 0).map((l) => l.from)).toEqual([2, 1]);
    expect(links.filter((l) => l.to === 1).map((l) => l.from)).toEqual([0, 2]);
  });

  it('ranks by what flows, weight times source activation, when activations are known', () => {
    const links = strongestInputs(w, 3, 2, Float32Array.from([10, 0, 0]), 1);
    expect(links).toEqual([
      { from: 0, to: 0, weight: expect.closeTo(0.1, 6), contribution: expect.closeTo(1, 5) },
      { from: 0, to: 1, weight: -2, contribution: -20 },
    ]);
  });

  it('N of 0 draws nothing; maxAbs spans all arrays', () => {
    expect(strongestInputs(w, 3, 2, null, 0)).toEqual([]);
    expect(maxAbs([Float32Array.from([1, -3]), Float32Array.from([2])])).toBe(3);
  });
});
