import { describe, expect, it } from 'vitest';
import type { LayerUnit } from '../../../web/src/views/lurk/messages';
import { preferredClass, selectivity, sortUnits } from '../../../web/src/views/lurk/unitOrder';

const unit = (u: number, mean: number, class_mean: number[]): LayerUnit => ({ unit: u, mean, dead_fraction: 0, class_mean, top: null });

describe('unit order', () => {
  it('measures selectivity as (max - rest) / (max + rest) over the class means', () => {
    expect(selectivity([3, 1, 1])).toBeCloseTo((3 - 1) / (3 + 1));
    expect(selectivity([1, 1, 1])).toBe(0);
    expect(selectivity([0, 0, 0])).toBe(0); // a unit that never fires
    expect(selectivity([0, 2, 0])).toBe(1);
    expect(preferredClass([0.1, 0.5, 0.2])).toBe(1);
  });

  it('sorts by mean, by selectivity and by preferred class', () => {
    const units = [unit(0, 0.2, [1, 1, 1]), unit(1, 0.9, [0, 3, 1]), unit(2, 0.5, [4, 0, 0]), unit(3, 0.5, [0, 1, 0.9])];
    expect(sortUnits(units, 'index')).toEqual([0, 1, 2, 3]);
    expect(sortUnits(units, 'mean')).toEqual([1, 2, 3, 0]); // ties by index
    expect(sortUnits(units, 'selectivity')).toEqual([2, 1, 3, 0]);
    expect(sortUnits(units, 'class')).toEqual([2, 0, 1, 3]); // class 0 (most selective first), then class 1
  });
});
