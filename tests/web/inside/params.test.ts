import { describe, expect, it } from 'vitest';
import { specFromQuery } from '../../../web/src/views/inside/params';

describe('specFromQuery', () => {
  it('reads the settings netlens xor puts in the link', () => {
    expect(specFromQuery('?hidden=3&refresh=200&epochs=40000&activation=tanh&learning_rate=0.5&dataset=xor4')).toEqual({
      spec: { hidden: [3], refresh: 200, epochs: 40000, activation: 'tanh', learning_rate: 0.5, dataset: 'xor4' },
      problems: [],
    });
  });

  it('reads several hidden layers, and leaves out and reports what it cannot read', () => {
    const r = specFromQuery('hidden=4,2&epochs=many&seed=&noise=10&colour=red');
    expect(r.spec).toEqual({ hidden: [4, 2], noise: 10 });
    expect(r.problems).toEqual(['epochs: not a number: "many"', 'seed: not a number: ""', 'colour: unknown key']);
    expect(specFromQuery('hidden=4,x').spec).toEqual({});
    expect(specFromQuery('hidden=0').spec).toEqual({});
  });
});
