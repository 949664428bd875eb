import { describe, expect, it } from 'vitest';
import { toggledFeatures } from '../../../web/src/views/playground/controls';

describe('toggledFeatures', () => {
  it('turns a feature on or off and keeps the server order', () => {
    const order = ['x1', 'x2', 'x1^2', 'x2^2'];
    expect(toggledFeatures(['x2'], 'x1', order)).toEqual(['x1', 'x2']);
    expect(toggledFeatures(['x1', 'x2'], 'x1', order)).toEqual(['x2']);
    expect(toggledFeatures(['x2'], 'x2', order)).toEqual([]);
    expect(toggledFeatures(['x2'], 'x1')).toEqual(['x2', 'x1']);
  });
});
