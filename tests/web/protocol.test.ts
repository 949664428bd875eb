import { describe, expect, it } from 'vitest';
import { ProtocolError, decodeHeatmap, parseServerMessage } from '../../web/src/lib/protocol';

/** Builds a heatmap frame by hand: magic, seq, width, height, float32 LE values. */
function frame(seq: number, width: number, height: number, values: number[], magic = 'NLHM'): ArrayBuffer {
  const buf = new ArrayBuffer(16 + 4 * values.length);
  const view = new DataView(buf);
  for (let i = 0; i < 4; i++) view.setUint8(i, magic.charCodeAt(i));
  view.setUint32(4, seq, true);
  view.setUint32(8, width, true);
  view.setUint32(12, height, true);
  values.forEach((v, i) => view.setFloat32(16 + 4 * i, v, true));
  return buf;
}

describe('decodeHeatmap', () => {
  it('reads seq, width, height and the row-major float32 values', () => {
    const values = [-1, -0.5, 0, 0.25, 0.75, 1];
    const hm = decodeHeatmap(frame(17, 3, 2, values));
    expect(hm.seq).toBe(17);
    expect(hm.width).toBe(3);
    expect(hm.height).toBe(2);
    expect(Array.from(hm.values)).toEqual(values);
  });

  it('reads little-endian fields, seq as unsigned', () => {
    const hm = decodeHeatmap(frame(0xfffffffe, 1, 1, [0.1]));
    expect(hm.seq).toBe(4294967294);
    expect(hm.values[0]).toBeCloseTo(0.1, 7);
    // Byte 8 is the low byte of width: a big-endian reader would see 2^24 here.
    const raw = new Uint8Array(frame(1, 2, 1, [0, 0]));
    expect(Array.from(raw.slice(8, 12))).toEqual([2, 0, 0, 0]);
    expect(decodeHeatmap(raw.buffer).width).toBe(2);
  });

  it('decodes a full 100×100 grid', () => {
    const values = Array.from({ length: 100 * 100 }, (_, i) => (i % 200) / 100 - 1);
    const hm = decodeHeatmap(frame(3, 100, 100, values));
    expect(hm.values.length).toBe(10_000);
    expect(hm.values[199]).toBeCloseTo(0.99, 6);
    expect(hm.values[9_999]).toBeCloseTo(values[9_999], 6);
  });

  it('rejects a bad magic', () => {
    expect(() => decodeHeatmap(frame(1, 1, 1, [0], 'NLHX'))).toThrow(ProtocolError);
    expect(() => decodeHeatmap(frame(1, 1, 1, [0], 'PNG!'))).toThrow(/bad magic "PNG!", expected "NLHM"/);
  });

  it('rejects a truncated payload and names the sizes', () => {
    const full = frame(1, 100, 100, new Array(10_000).fill(0));
    expect(() => decodeHeatmap(full.slice(0, full.byteLength - 4))).toThrow(
      'heatmap frame: a 100×100 grid needs 40016 bytes, got 40012',
    );
  });

  it('rejects trailing bytes', () => {
    const buf = new ArrayBuffer(16 + 4 * 4 + 1);
    new Uint8Array(buf).set(new Uint8Array(frame(1, 2, 2, [0, 0, 0, 0])));
    expect(() => decodeHeatmap(buf)).toThrow(/needs 32 bytes, got 33/);
  });

  it('rejects a buffer shorter than the header', () => {
    expect(() => decodeHeatmap(new ArrayBuffer(10))).toThrow(/10 bytes, shorter than its 16-byte header/);
  });

  it('rejects an empty grid', () => {
    expect(() => decodeHeatmap(frame(1, 0, 5, []))).toThrow(/empty grid 0×5/);
  });
});

describe('parseServerMessage', () => {
  it('reads a state with accuracies and ignores unknown fields', () => {
    const m = parseServerMessage(
      JSON.stringify({
        type: 'state', seq: 17, epoch: 42, running: true,
        train_loss: 0.0123, test_loss: 0.015, train_accuracy: 0.996, test_accuracy: 0.992, extra: 'x',
      }),
    );
    expect(m).toEqual({
      type: 'state', seq: 17, epoch: 42, running: true,
      train_loss: 0.0123, test_loss: 0.015, train_accuracy: 0.996, test_accuracy: 0.992,
    });
  });

  it('reads a regression state without accuracies, and a null loss as NaN', () => {
    const m = parseServerMessage('{"type":"state","seq":1,"epoch":0,"running":false,"train_loss":null,"test_loss":0.5}');
    expect(m.type).toBe('state');
    if (m.type !== 'state') return;
    expect(m.train_loss).toBeNaN();
    expect(m.test_loss).toBe(0.5);
    expect('train_accuracy' in m).toBe(false);
  });

  it('reads spec, data, hello and error messages', () => {
    expect(
      parseServerMessage('{"type":"spec","spec":{"seed":1},"domain":{"x_min":-6,"x_max":6,"y_min":-5,"y_max":5},"grid":100}'),
    ).toEqual({ type: 'spec', spec: { seed: 1 }, domain: { x_min: -6, x_max: 6, y_min: -5, y_max: 5 }, grid: 100 });
    expect(parseServerMessage('{"type":"data","problem":"classification","train":[[1,2,-1]],"test":[[0.5,-3,1]]}')).toEqual({
      type: 'data', problem: 'classification', train: [[1, 2, -1]], test: [[0.5, -3, 1]],
    });
    expect(parseServerMessage('{"type":"hello","protocol":1,"version":"0.1.0"}')).toEqual({
      type: 'hello', protocol: 1, version: '0.1.0',
    });
    expect(parseServerMessage('{"type":"error","message":"bad spec"}')).toEqual({ type: 'error', message: 'bad spec' });
  });

  it('names the field at fault', () => {
    expect(() => parseServerMessage('{"type":"state","seq":1,"epoch":"3","running":true,"train_loss":1,"test_loss":1}')).toThrow(
      'state.epoch: expected a number, got "3"',
    );
    expect(() => parseServerMessage('{"type":"state","seq":1,"epoch":3,"running":1,"train_loss":1,"test_loss":1}')).toThrow(
      'state.running: expected a boolean, got number 1',
    );
    expect(() => parseServerMessage('{"type":"data","problem":"c","train":[[1,2]],"test":[]}')).toThrow(
      /data\.train\[0\]: expected \[x1, x2, label\]/,
    );
    expect(() => parseServerMessage('{"type":"spec","spec":{},"domain":{"x_min":1,"x_max":1,"y_min":0,"y_max":1},"grid":100}')).toThrow(
      /spec\.domain: min must be below max/,
    );
  });

  it('rejects text that is not a typed JSON object', () => {
    expect(() => parseServerMessage('not json')).toThrow(/not JSON/);
    expect(() => parseServerMessage('[1,2]')).toThrow('server message: expected an object, got an array');
    expect(() => parseServerMessage('{"kind":"state"}')).toThrow('server message.type: expected a string, got nothing');
  });

  it('passes an unknown type on as unknown', () => {
    expect(parseServerMessage('{"type":"weights","w":[1]}')).toEqual({ type: 'unknown', original_type: 'weights' });
  });
});
