import { describe, expect, it } from 'vitest';
import { EpochRate } from '../../../web/src/engine/epochRate';

describe('EpochRate', () => {
  it('measures epochs per second over a window of the messages that carry an epoch', () => {
    let now = 0;
    const rate = new EpochRate(() => now);
    rate.saw('{"type":"state","epoch":10}');
    now = 500;
    rate.saw('{"type":"hello"}');
    now = 750;
    rate.saw('{"type":"state","epoch":25}');
    expect(rate.rate()).toBeNull(); // under a second
    now = 1500;
    rate.saw('{"type":"state","epoch":40}');
    expect(rate.rate()).toBe(20);
    expect(rate.rate()).toBeNull(); // the next window starts
  });

  it('starts over after a pause or a new run, so neither lowers the rate', () => {
    let now = 0;
    const rate = new EpochRate(() => now);
    rate.saw('{"epoch":5}');
    now = 10_000; // paused 10 s
    rate.saw('{"epoch":6}');
    now = 10_500;
    rate.saw('{"epoch":16}');
    now = 11_000;
    rate.saw('{"epoch":26}');
    expect(rate.rate()).toBe(20);
    now = 11_100;
    rate.saw('{"epoch":0}'); // reset
    now = 12_100;
    rate.saw('{"epoch":30}');
    expect(rate.rate()).toBe(30);
  });
});
