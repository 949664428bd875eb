import { describe, expect, it } from 'vitest';
import { formatAccuracy, formatEpoch, formatLoss } from '../../../web/src/views/playground/format';

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
});
