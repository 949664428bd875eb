import { describe, expect, it } from 'vitest';
import { MESSAGES, decodeDigitsFrame } from '../../../web/src/views/digits/messages';
import { decodeMessage, parseJson } from '../../../web/src/lib/wire';
import { tensorFrame } from '../lib/tensorFrame';

describe('Digits messages', () => {
  it('reads a model with its stages, and a prediction', () => {
    const model = decodeMessage(
      MESSAGES,
      parseJson(
        '{"type":"model","data":"mnist","model":"mlp","classes":["0","1"],"input_size":28,"trained":null,"run":null,' +
          '"stages":[{"kind":"input","name":"input","shape":[1,28,28]},{"kind":"output","name":"output","shape":[2]}]}',
      ),
    );
    expect(model).toMatchObject({ type: 'model', trained: null, run: null, stages: [{ kind: 'input' }, { kind: 'output', shape: [2] }] });
    expect(decodeMessage(MESSAGES, { type: 'prediction', seq: 1, checkpoint: -1, probabilities: [0.25, 0.75] })).toEqual({
      type: 'prediction', seq: 1, checkpoint: -1, probabilities: [0.25, 0.75],
    });
  });

  it('reads how a conv stage slides over its input, and refuses one that does not say', () => {
    const conv = { kind: 'conv', name: 'Conv2D(1 -> 8, 3x3)', shape: [8, 14, 14], kernel: 3, stride: 2, padding: 1 };
    const model = { type: 'model', data: 'mnist', model: 'cnn', classes: [], input_size: 28, trained: null, run: null };
    expect(decodeMessage(MESSAGES, { ...model, stages: [conv] })).toMatchObject({ stages: [{ kernel: 3, stride: 2, padding: 1 }] });
    expect(() => decodeMessage(MESSAGES, { ...model, stages: [{ ...conv, stride: undefined }] })).toThrow(/kernel, stride and padding/);
  });

  it('reads an error with the command it answers', () => {
    expect(decodeMessage(MESSAGES, { type: 'error', command: 'checkpoint', message: 'checkpoint: index: must be -1..3, got 9' })).toEqual({
      type: 'error', command: 'checkpoint', message: 'checkpoint: index: must be -1..3, got 9',
    });
  });

  it('names the field at fault instead of passing a bad message on', () => {
    expect(() => decodeMessage(MESSAGES, { type: 'prediction', seq: 1, checkpoint: -1, probabilities: ['a'] })).toThrow(
      /^prediction\.probabilities\[0\]: /,
    );
    expect(() => decodeMessage(MESSAGES, { type: 'model', stages: [{ kind: 'lstm' }] })).toThrow(/^model\./);
    expect(() => decodeMessage(MESSAGES, { seq: 1 })).toThrow(/^server message\.type: /);
  });

  it('decodes activation and weight frames, and refuses another kind', () => {
    expect(decodeDigitsFrame(tensorFrame('NLDA', 7, [{ shape: [1], values: [2] }])).magic).toBe('NLDA');
    expect(decodeDigitsFrame(tensorFrame('NLDW', 7, [])).tensors).toEqual([]);
    expect(() => decodeDigitsFrame(tensorFrame('NLIN', 7, []))).toThrow(/unknown magic "NLIN"/);
  });
});
