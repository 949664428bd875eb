import { describe, expect, it } from 'vitest';
import { channelProducts } from '../../../web/src/views/lurk/operation';

describe('the operation view', () => {
  it('multiplies each channel\'s patch by its kernel, cell by cell, and sums the products', () => {
    const patches = Float32Array.from([1, 2, 3, 4, /* channel 1 */ 0, 1, 0, 1]);
    const kernels = Float32Array.from([1, 0, -1, 0.5, /* channel 1 */ 2, 2, 2, -3]);
    const [c0, c1] = channelProducts(patches, kernels, 2, 2);
    expect(Array.from(c0.products)).toEqual([1, 0, -3, 2]);
    expect(c0.sum).toBe(0);
    expect(Array.from(c1.products)).toEqual([0, 2, 0, -3]);
    expect(c1.sum).toBe(-1);
  });
});
