import { describe, expect, it } from 'vitest';
import { FrameRate } from '../../../web/src/views/playground/frameRate';

describe('FrameRate', () => {
  it('counts every frame and shows those of the last second', () => {
    const rate = new FrameRate();
    expect(rate.text()).toBe('–');
    for (let t = 0; t < 1500; t += 100) rate.received(t); // 15 frames, 10 per second
    expect(rate.received(1500)).toBe(16);
    expect(rate.text()).toBe('11'); // 500..1500 ms
  });
});
