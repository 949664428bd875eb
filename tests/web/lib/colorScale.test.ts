import { describe, expect, it } from 'vitest';
import { colorOf, cssColorOf } from '../../../web/src/lib/colorScale';

describe('colorOf', () => {
  it('maps -1, 0 and +1 to TensorFlow Playground colours', () => {
    expect(colorOf(-1)).toEqual([0xf5, 0x93, 0x22]);
    expect(colorOf(0)).toEqual([0xe8, 0xea, 0xeb]);
    expect(colorOf(1)).toEqual([0x08, 0x77, 0xbd]);
  });

  it('interpolates linearly in RGB between the stops, rounding', () => {
    // halfway from #e8eaeb (232,234,235) to #0877bd (8,119,189)
    expect(colorOf(0.5)).toEqual([120, 177, 212]);
    // halfway from #e8eaeb to #f59322 (245,147,34)
    expect(colorOf(-0.5)).toEqual([239, 191, 135]);
    expect(colorOf(0.25)).toEqual([176, 205, 224]);
  });

  it('clamps values outside [-1, 1] and draws NaN neutral', () => {
    expect(colorOf(7)).toEqual(colorOf(1));
    expect(colorOf(-3)).toEqual(colorOf(-1));
    expect(colorOf(NaN)).toEqual([232, 234, 235]);
  });

  it('gives the same colour as CSS', () => {
    expect(cssColorOf(-1)).toBe('rgb(245, 147, 34)');
  });
});
