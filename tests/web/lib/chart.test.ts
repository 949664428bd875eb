import { describe, expect, it } from 'vitest';
import { History, legendLayout } from '../../../web/src/lib/chart';

const losses = (epoch: number, train = 1 / (epoch + 1), test = 1.1 / (epoch + 1)): [number, number[]] => [epoch, [train, test]];

describe('History', () => {
  it('keeps points in epoch order, one value per series', () => {
    const h = new History();
    [0, 1, 5, 9].forEach((e) => h.add(...losses(e)));
    expect(h.epochs).toEqual([0, 1, 5, 9]);
    expect(h.values[1][0]).toBeCloseTo(1.1);
    expect(h.maxValue()).toBeCloseTo(1.1);
  });

  it('starts over when the epoch goes back (reset or new spec)', () => {
    const h = new History();
    [0, 10, 20].forEach((e) => h.add(...losses(e)));
    h.add(0, [0.7, 0.8]);
    expect(h.epochs).toEqual([0]);
    expect(h.values).toEqual([[0.7], [0.8]]);
  });

  it('replaces the last point when the same epoch comes again', () => {
    const h = new History();
    h.add(0, [1, 10]);
    h.add(200, [0.5, 5]);
    h.add(200, [0.4, 4]);
    expect(h.epochs).toEqual([0, 200]);
    expect(h.values).toEqual([[1, 0.4], [10, 4]]);
  });

  it('thins to at most maxPoints, keeping the first and the newest', () => {
    const h = new History(10);
    for (let e = 0; e <= 100; e++) h.add(...losses(e));
    expect(h.length).toBeLessThanOrEqual(10);
    expect(h.length).toBeGreaterThanOrEqual(5);
    expect(h.epochs[0]).toBe(0);
    expect(h.epochs[h.length - 1]).toBe(100);
    expect(h.epochs).toEqual([...h.epochs].sort((a, b) => a - b));
    expect(h.values.every((s) => s.length === h.length)).toBe(true);
    expect(h.values[0][h.length - 1]).toBeCloseTo(1 / 101);
  });

  it('leaves non-finite values out of the linear scale', () => {
    const h = new History();
    h.add(0, [NaN, 0.3]);
    h.add(1, [0.2, Infinity]);
    expect(h.maxValue()).toBe(0.3);
    h.clear();
    expect(h.length).toBe(0);
    expect(h.maxValue()).toBe(0);
  });

  it('gives the positive extent for a log axis', () => {
    const h = new History();
    h.add(0, [0, 0.2]);
    h.add(1, [NaN, 3]);
    expect(h.positiveExtent()).toEqual([0.2, 3]);
    expect(new History().positiveExtent()).toEqual([1e-3, 1]);
  });
});

describe('legendLayout', () => {
  it('puts entries side by side in one row while they fit, each after the last', () => {
    const slots = legendLayout(['train loss', 'test loss'], 300);
    expect(slots.map((s) => s.row)).toEqual([0, 0]);
    expect(slots[0].x).toBe(0);
    expect(slots[1].x).toBeGreaterThan(22 + 6.5 * 'train loss'.length);
  });

  it('starts a new row when the next entry would pass the width, never an empty row', () => {
    const slots = legendLayout(['‖∇ layer 1‖', '‖∇ layer 2‖', '‖∇ layer 3‖', '‖∇ layer 4‖'], 250);
    expect(slots.map((s) => s.row)).toEqual([0, 0, 1, 1]);
    expect(slots[2].x).toBe(0);
    expect(legendLayout(['a label much longer than the chart is wide'], 50)).toEqual([{ x: 0, row: 0 }]);
  });
});
