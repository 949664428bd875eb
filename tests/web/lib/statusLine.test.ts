import { describe, expect, it } from 'vitest';
import { formatConnection } from '../../../web/src/lib/statusLine';

describe('formatConnection', () => {
  it('describes the connection without the word "error"', () => {
    const texts = [
      formatConnection({ kind: 'connecting', attempt: 0 }),
      formatConnection({ kind: 'connecting', attempt: 2 }),
      formatConnection({ kind: 'open', version: null }),
      formatConnection({ kind: 'open', version: '0.1.0' }),
      formatConnection({ kind: 'closed', retryInMs: 2000 }),
    ];
    expect(texts).toEqual([
      'connecting…',
      'connecting… (attempt 3)',
      'connected',
      'connected to netlens 0.1.0',
      'disconnected; retrying in 2.0 s',
    ]);
    for (const t of texts) expect(t).not.toMatch(/error/i);
  });

  it('shows a protocol mismatch as the socket words it', () => {
    const message = 'this page speaks Inside protocol 2, the server 1: reload';
    expect(formatConnection({ kind: 'mismatch', message })).toBe(message);
  });
});
