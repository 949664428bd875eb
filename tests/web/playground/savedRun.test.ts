import { describe, expect, it } from 'vitest';
import { findSavedRun, sameJson } from '../../../web/src/views/playground/savedRun';

describe('saved runs', () => {
  it('compares JSON whatever the key order', () => {
    expect(sameJson({ a: 1, b: [1, { c: 2, d: 3 }] }, { b: [1, { d: 3, c: 2 }], a: 1 })).toBe(true);
    expect(sameJson({ a: 1 }, { a: 2 })).toBe(false);
    expect(sameJson([1, 2], [2, 1])).toBe(false);
  });

  it('finds the newest run with the same spec that got at least as far', () => {
    const spec = { dataset: 'circle', seed: 1 };
    const runs = [
      { name: 'xor-1', epoch: 500, saved: 3, spec: { dataset: 'xor', seed: 1 } },
      { name: 'circle-2', epoch: 40, saved: 2, spec: { seed: 1, dataset: 'circle' } },
      { name: 'circle-1', epoch: 30, saved: 1, spec },
    ];
    expect(findSavedRun(runs, { spec, epoch: 35 })?.name).toBe('circle-2');
    expect(findSavedRun(runs, { spec, epoch: 41 })).toBeUndefined();
    expect(findSavedRun(runs, { spec: { dataset: 'spiral', seed: 1 }, epoch: 1 })).toBeUndefined();
  });
});
