import { describe, expect, it } from 'vitest';
import { stageLayouts, unitPosition, UNIT } from '../../../web/src/views/digits/layout';
import type { StageInfo } from '../../../web/src/views/digits/messages';

const cnn: StageInfo[] = [
  { kind: 'input', name: 'input', shape: [1, 28, 28] },
  { kind: 'conv', name: 'Conv2D', shape: [8, 28, 28] },
  { kind: 'dense', name: 'Dense', shape: [128] },
  { kind: 'output', name: 'Dense', shape: [10] },
];

describe('layout', () => {
  it('puts stages left to right and keeps them apart in 2D by their widths', () => {
    const l3 = stageLayouts(cnn, '3d');
    expect(l3.map((l) => l.x)).toEqual([0, 12, 24, 36]);
    const l2 = stageLayouts(cnn, '2d');
    for (let i = 1; i < l2.length; i++) expect(l2[i].x - l2[i - 1].x).toBeGreaterThanOrEqual((l2[i].width + l2[i - 1].width) / 2);
    expect(l2[1].planes).toBe(8);
    expect(l2[2].side).toBe(12); // 128 units in rows of 12
  });

  it('places image pixels a unit apart, row 0 on top; 3D walls stand in the y-z plane', () => {
    const [input] = stageLayouts(cnn, '2d');
    const a = unitPosition(input, 0, '2d');
    const b = unitPosition(input, 1, '2d');
    const below = unitPosition(input, 28, '2d');
    expect(b[0] - a[0]).toBeCloseTo(UNIT);
    expect(a[1] - below[1]).toBeCloseTo(UNIT);
    const [input3] = stageLayouts(cnn, '3d');
    expect(unitPosition(input3, 5, '3d')[0]).toBe(0);
    expect(unitPosition(input3, 5, '3d')[2]).not.toBe(unitPosition(input3, 6, '3d')[2]);
  });

  it('the output is one column of units', () => {
    const out = stageLayouts(cnn, '2d')[3];
    const xs = new Set(Array.from({ length: 10 }, (_, i) => unitPosition(out, i, '2d')[0]));
    expect(xs.size).toBe(1);
  });
});
