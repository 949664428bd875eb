import { describe, expect, it } from 'vitest';
import { LossHistory } from '../../web/src/lib/lossChart';

const pt = (epoch: number, train = 1 / (epoch + 1), test = 1.1 / (epoch + 1)) => ({ epoch, train, test });

describe('LossHistory', () => {
  it('keeps points in epoch order', () => {
    const h = new LossHistory();
    [0, 1, 5, 9].forEach((e) => h.add(pt(e)));
    expect(h.all().map((p) => p.epoch)).toEqual([0, 1, 5, 9]);
    expect(h.maxLoss()).toBeCloseTo(1.1);
  });

  it('starts over when the epoch goes back (reset or new spec)', () => {
    const h = new LossHistory();
    [0, 10, 20].forEach((e) => h.add(pt(e)));
    h.add(pt(0, 0.7, 0.8));
    expect(h.all()).toEqual([{ epoch: 0, train: 0.7, test: 0.8 }]);
  });

  it('replaces the last point when the same epoch comes again', () => {
    const h = new LossHistory();
    h.add(pt(3, 0.5, 0.6));
    h.add(pt(3, 0.4, 0.45));
    expect(h.all()).toEqual([{ epoch: 3, train: 0.4, test: 0.45 }]);
  });

  it('thins to at most maxPoints, keeping the first and the newest', () => {
    const h = new LossHistory(10);
    for (let e = 0; e <= 100; e++) h.add(pt(e));
    expect(h.length).toBeLessThanOrEqual(10);
    expect(h.length).toBeGreaterThanOrEqual(5);
    expect(h.all()[0].epoch).toBe(0);
    expect(h.all()[h.length - 1].epoch).toBe(100);
    const epochs = h.all().map((p) => p.epoch);
    expect(epochs).toEqual([...epochs].sort((a, b) => a - b));
  });

  it('leaves non-finite losses out of the scale', () => {
    const h = new LossHistory();
    h.add({ epoch: 0, train: NaN, test: 0.3 });
    h.add({ epoch: 1, train: 0.2, test: Infinity });
    expect(h.maxLoss()).toBe(0.3);
    h.clear();
    expect(h.length).toBe(0);
    expect(h.maxLoss()).toBe(0);
  });
});
