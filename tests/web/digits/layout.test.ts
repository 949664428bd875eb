import { describe, expect, it } from 'vitest';
import { stageLayouts, unitPosition, VIEW_AZIMUTH } from '../../../web/src/views/digits/layout';
import type { StageInfo } from '../../../web/src/views/digits/messages';

const cnn: StageInfo[] = [
  { kind: 'input', name: 'input', shape: [1, 28, 28] },
  { kind: 'conv', name: 'Conv2D', shape: [8, 28, 28], kernel: 3, stride: 1, padding: 1 },
  { kind: 'pool', name: 'MaxPool2D', shape: [16, 7, 7], kernel: 2, stride: 2, padding: 0 },
  { kind: 'dense', name: 'Dense', shape: [128] },
  { kind: 'output', name: 'Dense', shape: [10] },
];

describe('layout', () => {
  it('puts stages left to right, apart by their widths in 2D and never covering each other as the 3D camera sees them', () => {
    const l2 = stageLayouts(cnn, '2d');
    for (let i = 1; i < l2.length; i++) expect(l2[i].x - l2[i - 1].x).toBeGreaterThanOrEqual((l2[i].width + l2[i - 1].width) / 2);
    const l3 = stageLayouts(cnn, '3d');
    for (let i = 1; i < l3.length; i++) {
      const gapOnScreen = (l3[i].x - l3[i - 1].x) * Math.sin(VIEW_AZIMUTH);
      expect(gapOnScreen).toBeGreaterThan(((l3[i].width + l3[i - 1].width) / 2) * Math.cos(VIEW_AZIMUTH));
    }
    expect(l2[1].planes).toBe(8);
    expect(l2[3].side).toBe(12); // 128 units in rows of 12
  });

  it('gives every stage about the same height, so that each reads at one zoom', () => {
    const heights = stageLayouts(cnn, '3d').map((l) => l.height);
    expect(Math.max(...heights) / Math.min(...heights)).toBeLessThan(1.5);
    expect(stageLayouts(cnn, '3d')[1].columns).toBe(2); // eight maps, two wide and four high
  });

  it('places image pixels a pitch apart, row 0 on top; 3D walls stand in the y-z plane', () => {
    const [input] = stageLayouts(cnn, '2d');
    const a = unitPosition(input, 0, '2d');
    const b = unitPosition(input, 1, '2d');
    const below = unitPosition(input, 28, '2d');
    expect(b[0] - a[0]).toBeCloseTo(input.pitch);
    expect(a[1] - below[1]).toBeCloseTo(input.pitch);
    expect(input.pitch * 28).toBeCloseTo(input.height);
    const [input3] = stageLayouts(cnn, '3d');
    expect(unitPosition(input3, 5, '3d')[0]).toBe(0);
    expect(unitPosition(input3, 6, '3d')[2]).toBeGreaterThan(unitPosition(input3, 5, '3d')[2]);
  });

  it('the output is one column of units', () => {
    const out = stageLayouts(cnn, '2d')[4];
    const xs = new Set(Array.from({ length: 10 }, (_, i) => unitPosition(out, i, '2d')[0]));
    expect(xs.size).toBe(1);
  });
});
