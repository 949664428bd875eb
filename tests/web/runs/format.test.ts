import { describe, expect, it } from 'vitest';
import { droppedText, formatBytes, formatLoss, formatWhen, runLinks, sourceLabel } from '../../../web/src/views/runs/format';
import type { RunRow } from '../../../web/src/views/runs/messages';

const run = (over: Partial<RunRow>): RunRow => ({
  name: 'circle-20261201-101500-epoch40',
  dir: true,
  source: 'netlens',
  status: 'saved',
  step: 40,
  loss: 0.1234567,
  when: 1_700_000_000,
  bytes: 16_400,
  starred: false,
  open: ['playground'],
  ...over,
});

describe('the Runs table', () => {
  it('writes sizes in decimal units', () => {
    expect(formatBytes(null)).toBe('');
    expect(formatBytes(106)).toBe('106 B');
    expect(formatBytes(16_400)).toBe('16 KB');
    expect(formatBytes(1_400_000)).toBe('1.4 MB');
    expect(formatBytes(2_500_000_000)).toBe('2.5 GB');
  });

  it('says how long ago a run was saved', () => {
    const now = 1_700_000_000_000;
    expect(formatWhen(1_700_000_000 - 5, now)).toBe('just now');
    expect(formatWhen(1_700_000_000 - 600, now)).toBe('10 min ago');
    expect(formatWhen(1_700_000_000 - 7200, now)).toBe('2 h ago');
    expect(formatWhen(1_700_000_000 - 86400, now)).toBe('yesterday');
    expect(formatWhen(1_700_000_000 - 3 * 86400, now)).toBe('3 days ago');
    expect(formatWhen(1_700_000_000 + 30, now)).toBe('just now'); // a server clock slightly ahead
  });

  it('writes the loss with four significant digits, and nothing for none', () => {
    expect(formatLoss(0.1234567)).toBe('0.1235');
    expect(formatLoss(null)).toBe('');
  });

  it('names the sources as a person says them', () => {
    expect(sourceLabel('netlens')).toBe("netlens's own");
    expect(sourceLabel('ingested')).toBe('ingested');
  });

  it('links a run only to the views that open it, its name escaped', () => {
    expect(runLinks(run({ name: 'my run #2 & more' }))).toEqual([
      { label: 'Playground', href: './index.html#run=my%20run%20%232%20%26%20more' },
    ]);
    expect(runLinks(run({ open: [] }))).toEqual([]);
  });

  it('links an ingested run to every view the server says shows it', () => {
    expect(runLinks(run({ name: 'spiral', source: 'ingested', open: ['playground', 'timeline'] }))).toEqual([
      { label: 'Playground', href: './index.html#ingest=spiral' },
      { label: 'Timeline', href: './index.html#ingest=spiral' },
    ]);
    expect(runLinks(run({ name: 'mnist cnn', source: 'ingested', open: ['digits', 'lurk'] }))).toEqual([
      { label: 'Digits', href: './digits.html#run=mnist%20cnn' },
      { label: 'Lurk', href: './lurk.html#run=mnist%20cnn' },
    ]);
  });

  it('says what the client dropped, by kind', () => {
    expect(droppedText(undefined)).toBe('');
    expect(droppedText({ scalars: 0 })).toBe('');
    expect(droppedText({ scalars: 3, snapshots_superseded: 12 })).toBe('the client dropped 3 scalars, 12 snapshots superseded');
    expect(droppedText({ scalars: 1, snapshots_superseded: 1 })).toBe('the client dropped 1 scalar, 1 snapshot superseded');
    expect(droppedText({ new_kind: 2 })).toBe('the client dropped 2 new kind');
  });
});
