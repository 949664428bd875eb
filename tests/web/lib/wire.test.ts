import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { Domain, ErrorMessage, Hello, Point, ProtocolError, decodeMessage, decodeTensorFrame, parseJson } from '../../../web/src/lib/wire';
import { tensorFrame } from './tensorFrame';

describe('decodeMessage', () => {
  const schemas = { hello: Hello, error: ErrorMessage, point: z.object({ type: z.literal('point'), at: Point, domain: Domain.optional() }) };

  it('decodes by the schema of the type, ignoring unknown fields', () => {
    expect(decodeMessage(schemas, { type: 'hello', view: 'inside', protocol: 2, version: '0.1.0', extra: 1 })).toEqual({
      type: 'hello', view: 'inside', protocol: 2, version: '0.1.0',
    });
    expect(decodeMessage(schemas, { type: 'point', at: [1, 2, -1, 99] })).toEqual({ type: 'point', at: [1, 2, -1] });
  });

  it('gives null for a type the page does not know', () => {
    expect(decodeMessage(schemas, { type: 'weights', w: [1] })).toBeNull();
    expect(decodeMessage(schemas, { type: 'toString' })).toBeNull();
  });

  it('throws a ProtocolError naming the type and the path of the field at fault', () => {
    expect(() => decodeMessage(schemas, { type: 'error', command: 3, message: 'x' })).toThrow(ProtocolError);
    expect(() => decodeMessage(schemas, { type: 'error', command: 3, message: 'x' })).toThrow(/^error\.command: /);
    expect(() => decodeMessage(schemas, { type: 'error', message: 'x' })).toThrow(/^error\.command: /);
    expect(() => decodeMessage(schemas, { type: 'point', at: [1, 2] })).toThrow('point.at: expected [x1, x2, label]');
    expect(() => decodeMessage(schemas, { type: 'point', at: [1, 2, 3], domain: { x_min: 1, x_max: 1, y_min: 0, y_max: 1 } })).toThrow(
      'point.domain: min must be below max',
    );
    expect(() => decodeMessage(schemas, [1, 2])).toThrow(/^server message: /);
    expect(() => decodeMessage(schemas, { kind: 'state' })).toThrow(/^server message\.type: /);
  });

  it('accepts an error that answers no command', () => {
    expect(decodeMessage(schemas, { type: 'error', command: null, message: 'message: not JSON' })).toMatchObject({ command: null });
  });

  it('refuses text that is not JSON', () => {
    expect(() => parseJson('{oops')).toThrow(/^server message is not JSON: /);
  });
});

describe('decodeTensorFrame', () => {
  it('reads magic, seq, shapes and values', () => {
    const f = decodeTensorFrame(tensorFrame('NLDA', 7, [{ shape: [2, 2], values: [1, 2, 3, 4] }, { shape: [0], values: [] }]));
    expect(f.magic).toBe('NLDA');
    expect(f.seq).toBe(7);
    expect(f.tensors[0].shape).toEqual([2, 2]);
    expect(Array.from(f.tensors[0].values)).toEqual([1, 2, 3, 4]);
    expect(f.tensors[1].values.length).toBe(0);
  });

  it('refuses a truncated frame', () => {
    const good = tensorFrame('NLDW', 1, [{ shape: [3], values: [1, 2, 3] }]);
    expect(() => decodeTensorFrame(good.slice(0, good.byteLength - 4))).toThrow(/truncated in tensor 0/);
    expect(() => decodeTensorFrame(good.slice(0, 18))).toThrow(/truncated in the shape of tensor 0/);
    expect(() => decodeTensorFrame(new ArrayBuffer(5))).toThrow(/too short/);
  });
});
