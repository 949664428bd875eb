import { describe, expect, it } from 'vitest';
import { formatAccuracy, formatConnection, formatEpoch, formatLoss } from '../../web/src/views/playground/format';

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

  it('describes the connection without the word "error"', () => {
    const texts = [
      formatConnection({ kind: 'connecting', attempt: 0 }, null),
      formatConnection({ kind: 'connecting', attempt: 2 }, null),
      formatConnection({ kind: 'open' }, '0.1.0'),
      formatConnection({ kind: 'closed', retryInMs: 2000 }, null),
    ];
    expect(texts).toEqual([
      'connecting…',
      'connecting… (attempt 3)',
      'connected to netlens 0.1.0',
      'disconnected; retrying in 2.0 s',
    ]);
    for (const t of texts) expect(t).not.toMatch(/error/i);
  });
});
