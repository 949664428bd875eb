import { describe, expect, it } from 'vitest';
import { PAD_SIZE, emptyPad, stamp, strokeSegment } from '../../../web/src/views/digits/brush';

describe('brush', () => {
  it('stamps a soft blob: full at the centre, fading outwards, nothing far away', () => {
    const pad = emptyPad();
    stamp(pad, 14, 14, { radius: 1.6, strength: 1 });
    const at = (x: number, y: number) => pad[y * PAD_SIZE + x];
    expect(at(13, 13)).toBeGreaterThan(0.7); // the four pixels around (14, 14) share the centre
    expect(at(15, 13)).toBeLessThan(at(14, 13));
    expect(at(15, 13)).toBeGreaterThan(0.1);
    expect(at(20, 20)).toBe(0);
  });

  it('a stroke leaves no gaps however fast the mouse moved, and erasing takes ink away', () => {
    const pad = emptyPad();
    strokeSegment(pad, 14, 2, 14, 26, { radius: 1.2, strength: 0.8 });
    for (let y = 3; y < 26; y++) expect(pad[y * PAD_SIZE + 13] + pad[y * PAD_SIZE + 14]).toBeGreaterThan(0.5);
    strokeSegment(pad, 14, 2, 14, 26, { radius: 2, strength: 1 }, true);
    expect(Math.max(...pad)).toBe(0);
  });

  it('ink stays within [0, 1] and the pad edges clip the brush', () => {
    const pad = emptyPad();
    for (let i = 0; i < 10; i++) stamp(pad, 0, 0, { radius: 3, strength: 1 });
    expect(Math.max(...pad)).toBe(1);
    expect(pad.length).toBe(784);
  });
});
