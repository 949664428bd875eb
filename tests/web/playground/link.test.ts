import { describe, expect, it } from 'vitest';
import { LinkRequest } from '../../../web/src/views/playground/link';

describe("a link's spec on its way to the server", () => {
  it('keeps the good keys and lists every bad one, the reading problems first', () => {
    const sent: Record<string, unknown>[] = [];
    let shown: string[] = [];
    const link = new LinkRequest((s) => sent.push({ ...s }), (p) => (shown = [...p]));
    link.read(['bogus: unknown key']);
    expect(shown).toEqual(['bogus: unknown key']);
    link.ask({ dataset: 'xor', noise: 999, learning_rate: -1 }, true);
    expect(sent).toEqual([]); // a new session: its own first spec comes first
    link.spec();
    expect(sent).toEqual([{ dataset: 'xor', noise: 999, learning_rate: -1 }]);
    expect(link.refused('set_spec: spec.noise: must be a number 0..50, got 999')).toBe(true);
    expect(sent[1]).toEqual({ dataset: 'xor', learning_rate: -1 });
    link.refused('set_spec: spec.learning_rate: must be a number 0..10, got -1');
    expect(sent[2]).toEqual({ dataset: 'xor' });
    link.spec();
    expect(shown).toEqual(['bogus: unknown key', 'noise: must be a number 0..50, got 999', 'learning_rate: must be a number 0..10, got -1']);
    // Later refusals answer the user's own changes, not the link.
    expect(link.refused('set_spec: spec.noise: must be a number 0..50, got 70')).toBe(false);
  });

  it('gives up on a refusal that names no key of the link', () => {
    const sent: unknown[] = [];
    const link = new LinkRequest((s) => sent.push(s), () => {});
    link.ask({ dataset: 'plane', loss: 'softmax_cross_entropy' });
    expect(link.refused('set_spec: memory: too large')).toBe(true);
    expect(sent).toHaveLength(1);
    expect(link.refused('set_spec: spec.loss: x')).toBe(false);
  });
});
