import { describe, expect, it } from 'vitest';
import { formatAccuracy, formatBytes, formatEpoch, formatLoss, formatRescale } from '../../../web/src/views/playground/format';

describe('playground number formats', () => {
  it('writes losses with 3 decimals and a dash for NaN', () => {
    expect(formatLoss(0.0123)).toBe('0.012');
    expect(formatLoss(0.5)).toBe('0.500');
    expect(formatLoss(NaN)).toBe('–');
  });

  it('writes the epoch as a plain integer', () => {
    expect(formatEpoch(42)).toBe('42');
    expect(formatEpoch(0)).toBe('0');
  });

  it('writes accuracies as percentages, empty when absent', () => {
    expect(formatAccuracy(0.996)).toBe('99.6%');
    expect(formatAccuracy(undefined)).toBe('');
  });

  it('writes sizes in KB and MB', () => {
    expect(formatBytes(1 << 20)).toBe('1 MB');
    expect(formatBytes(2.4 * 1024 * 1024)).toBe('2.4 MB');
    expect(formatBytes(900 * 1024)).toBe('900 KB');
    expect(formatBytes(10)).toBe('1 KB');
  });

  it('writes how an upload was rescaled', () => {
    expect(formatRescale({ x1: [150, 169], x2: [50, 88], scale: 6 / 19 })).toBe('x1 150..169, x2 50..88, ×0.316');
    expect(formatRescale({ x1: [-0.125, 1000], x2: [3.5, 7], scale: 0.012 })).toBe('x1 -0.125..1000, x2 3.5..7, ×0.012');
  });
});
