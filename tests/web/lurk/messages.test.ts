import { describe, expect, it } from 'vitest';
import { decodeMessage, ProtocolError } from '../../../web/src/lib/wire';
import { decodeLurkFrame, MESSAGES } from '../../../web/src/views/lurk/messages';
import { chooseModel, defaultModel } from '../../../web/src/views/lurk/modelChoice';

describe('Lurk messages', () => {
  it('reads a unit message and refuses a bad box, naming the field', () => {
    const unit = {
      type: 'unit', seq: 3, layer: 3, unit: 5, name: 'Conv2D(8 -> 16, 3x3)', kind: 'conv', mean: 0.7, dead_fraction: 0,
      class_max: [1, 2], class_mean: [0.5, 1], bias: 0.01, gradient_max: { layer: [0.5, 0.2], global: [0.9, 0.4] },
      top_max: [{ image: 7917, label: 2, score: 4.1, y: 2, x: 3, box: [0, 1, 6, 7] }], top_mean: [{ image: 1, label: 0, score: 1 }],
    };
    expect(decodeMessage(MESSAGES, unit)).toEqual(unit);
    expect(() => decodeMessage(MESSAGES, { ...unit, top_max: [{ image: 1, label: 0, score: 1, box: [0, 1] }] })).toThrow(/unit\.top_max\[0\]\.box/);
  });

  it('reads the hello with its models and runs and picks a CNN to open', () => {
    const hello = decodeMessage(MESSAGES, { type: 'hello', view: 'lurk', protocol: 1, version: '0.1.0', models: ['a-mlp.nlmodel', 'b-cnn.nlmodel'], runs: ['r1'] });
    expect(hello).toMatchObject({ models: ['a-mlp.nlmodel', 'b-cnn.nlmodel'], runs: ['r1'] });
    expect(defaultModel(['a-mlp.nlmodel', 'b-cnn.nlmodel'])).toBe('b-cnn.nlmodel');
    expect(defaultModel(['a-mlp.nlmodel', 'mnist-cnn.nlmodel', 'b-cnn.nlmodel'])).toBe('mnist-cnn.nlmodel');
    expect(defaultModel([])).toBeUndefined();
    expect(chooseModel(['a.nlmodel'], ['r1'], { run: 'r1' })).toEqual({ values: ['a.nlmodel', 'run:r1'], labels: ['a.nlmodel', 'run: r1'], model: 'run:r1' });
    expect(chooseModel(['a.nlmodel'], [], { model: 'gone.onnx' })).toMatchObject({
      model: 'a.nlmodel',
      problem: 'link: the server has no model gone.onnx; it has a.nlmodel',
    });
  });

  it('refuses a frame of another view', () => {
    const frame = new Uint8Array([...'NLDA'].map((c) => c.charCodeAt(0)).concat(new Array(8).fill(0)));
    expect(() => decodeLurkFrame(frame.buffer)).toThrow(ProtocolError);
  });
});
