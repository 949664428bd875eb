import { describe, expect, it } from 'vitest';
import { digitsSocketUrl, parseDigitsMessage, parseTensorFrame } from '../../../web/src/views/digits/protocol';

function frame(magic: string, seq: number, tensors: { shape: number[]; values: number[] }[]): ArrayBuffer {
  const parts: ArrayBuffer[] = [];
  const head = new ArrayBuffer(12);
  const v = new DataView(head);
  for (let i = 0; i < 4; i++) v.setUint8(i, magic.charCodeAt(i));
  v.setUint32(4, seq, true);
  v.setUint32(8, tensors.length, true);
  parts.push(head);
  for (const t of tensors) {
    const dims = new DataView(new ArrayBuffer(4 + 4 * t.shape.length));
    dims.setUint32(0, t.shape.length, true);
    t.shape.forEach((d, i) => dims.setUint32(4 + 4 * i, d, true));
    parts.push(dims.buffer as ArrayBuffer, Float32Array.from(t.values).buffer);
  }
  const total = parts.reduce((n, p) => n + p.byteLength, 0);
  const out = new Uint8Array(total);
  let at = 0;
  for (const p of parts) {
    out.set(new Uint8Array(p), at);
    at += p.byteLength;
  }
  return out.buffer;
}

describe('digits protocol', () => {
  it('reads tensor frames: magic, seq, shapes and values', () => {
    const f = parseTensorFrame(frame('NLDA', 7, [{ shape: [2, 2], values: [1, 2, 3, 4] }, { shape: [0], values: [] }]));
    expect(f.magic).toBe('NLDA');
    expect(f.seq).toBe(7);
    expect(f.tensors[0].shape).toEqual([2, 2]);
    expect(Array.from(f.tensors[0].values)).toEqual([1, 2, 3, 4]);
    expect(f.tensors[1].values.length).toBe(0);
  });

  it('refuses a truncated frame', () => {
    const good = frame('NLDW', 1, [{ shape: [3], values: [1, 2, 3] }]);
    expect(() => parseTensorFrame(good.slice(0, good.byteLength - 4))).toThrow(/truncated/);
    expect(() => parseTensorFrame(new ArrayBuffer(5))).toThrow(/too short/);
  });

  it('parses JSON messages and builds the socket URL', () => {
    expect(parseDigitsMessage('{"type":"prediction","seq":1,"probabilities":[1]}').type).toBe('prediction');
    expect(() => parseDigitsMessage('{"seq":1}')).toThrow();
    expect(digitsSocketUrl({ protocol: 'http:', host: 'localhost:8000' })).toBe('ws://localhost:8000/ws/digits');
  });
});
