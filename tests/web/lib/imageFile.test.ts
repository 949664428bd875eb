import { describe, expect, it } from 'vitest';
import { greyValues } from '../../../web/src/lib/imageFile';

describe('image files', () => {
  it('reads an image as its luminance in [0, 1]', () => {
    const rgba = new Uint8ClampedArray([255, 255, 255, 255, 0, 0, 0, 255, 255, 0, 0, 255, 0, 255, 0, 128]);
    expect(greyValues(rgba, 2, 2)).toEqual([1, 0, 0.213, 0.715]);
  });
});
