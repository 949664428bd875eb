import { describe, expect, it } from 'vitest';
import { Series } from '../../../web/src/views/inside/seriesChart';

describe('Series', () => {
  it('keeps each series by epoch, replaces a repeated epoch and starts over on an earlier one', () => {
    const s = new Series();
    s.add(0, [1, 10]);
    s.add(200, [0.5, 5]);
    s.add(200, [0.4, 4]);
    expect(s.epochs).toEqual([0, 200]);
    expect(s.values).toEqual([[1, 0.4], [10, 4]]);
    s.add(0, [2, 3]);
    expect(s.epochs).toEqual([0]);
    expect(s.values).toEqual([[2], [3]]);
  });
  it('gives the positive extent for a log axis', () => {
    const s = new Series();
    s.add(0, [0, 0.2]);
    s.add(1, [NaN, 3]);
    expect(s.positiveExtent()).toEqual([0.2, 3]);
  });
});
