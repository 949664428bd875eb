import { describe, expect, it } from 'vitest';
import { parseHash, specForUrl, splitIngest, toHash, type UrlState } from '../../../web/src/views/playground/urlState';

describe('URL state', () => {
  const state: UrlState = {
    spec: {
      dataset: 'spiral',
      noise: 10,
      features: ['x1', 'x2', 'sin_x1'],
      hidden_layers: [
        { units: 8, activation: 'tanh' },
        { units: 4, activation: 'relu' },
      ],
      learning_rate: 0.03,
      init: 'playground',
      seed: 7,
    },
    run: { epochs_per_frame: 5, stop_test_loss: 0.05 },
    view: { discretize: true },
    hidden: new Set(['features', 'noise']),
  };

  it('writes a readable hash', () => {
    expect(toHash(state)).toBe(
      '#dataset=spiral&noise=10&features=x1,x2,sin_x1&hidden_layers=8:tanh,4:relu&learning_rate=0.03&init=playground&seed=7' +
        '&epochs_per_frame=5&stop_test_loss=0.05&discretize=true&features_hide=true&noise_hide=true',
    );
  });

  it('reads back what it wrote', () => {
    const { state: back, problems } = parseHash(toHash(state));
    expect(problems).toEqual([]);
    expect(back.spec).toEqual(state.spec);
    expect(back.run).toEqual(state.run);
    expect(back.view).toEqual(state.view);
    expect([...back.hidden].sort()).toEqual(['features', 'noise']);
  });

  it('reads no hidden layers and no hash at all', () => {
    expect(parseHash('#hidden_layers=').state.spec.hidden_layers).toEqual([]);
    expect(parseHash('').state).toEqual({ spec: {}, run: {}, view: {}, hidden: new Set() });
  });

  it('reads a saved run to open, whatever its name holds, and never writes it back', () => {
    const name = 'my run #2 & more';
    const { state: s, problems } = parseHash(`#run=${encodeURIComponent(name)}`);
    expect(problems).toEqual([]);
    expect(s.savedRun).toBe(name);
    expect(toHash(s)).toBe('#');
  });

  it('skips unknown keys and bad values and says which', () => {
    const { state: s, problems } = parseHash('#noise=loud&warp=9&seed=3&discretize=maybe&hidden_layers=x:tanh');
    expect(s.spec).toEqual({ seed: 3 });
    expect(problems).toEqual([
      'noise: not a number: "loud"',
      'warp: unknown key',
      'discretize: expected true or false, got "maybe"',
      'hidden_layers: hidden layer "x:tanh": units must be an integer',
    ]);
  });

  it('keeps only the spec keys the URL holds', () => {
    expect(specForUrl({ dataset: 'xor', activation: 'tanh', problem: 'classification', seed: 1 })).toEqual({
      dataset: 'xor',
      seed: 1,
    });
    expect(specForUrl({ dataset: 'xor', noise: 5, learning_rate: 0.1, seed: 1 }, true)).toEqual({ learning_rate: 0.1, seed: 1 });
  });
});

describe('#ingest=RUN', () => {
  it('names the ingested run to follow and leaves the rest of the hash', () => {
    expect(splitIngest('#ingest=wide-spiral')).toEqual({ ingest: 'wide-spiral', rest: '' });
    expect(splitIngest('#discretize=true&ingest=r1')).toEqual({ ingest: 'r1', rest: '#discretize=true' });
    expect(splitIngest('#dataset=spiral')).toEqual({ ingest: null, rest: '#dataset=spiral' });
    expect(splitIngest('')).toEqual({ ingest: null, rest: '' });
  });
});
