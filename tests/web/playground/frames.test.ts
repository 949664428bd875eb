import { describe, expect, it } from 'vitest';
import { decodeBinary, decodeFrame } from '../../../web/src/views/playground/frames';
import { ProtocolError } from '../../../web/src/lib/wire';

/** Builds a binary frame by hand: magic, seq, grid, unit_grid, nodes, params, then the payloads. */
function frame(
  seq: number,
  grid: number,
  output: number[],
  params: number[],
  unitGrid: number,
  units: number[],
  magic = 'NLFR',
): ArrayBuffer {
  const nodes = unitGrid ? units.length / (unitGrid * unitGrid) : 0;
  const outputs = grid ? output.length / (grid * grid) : 1;
  const buf = new ArrayBuffer(28 + 4 * (output.length + params.length) + units.length);
  const view = new DataView(buf);
  for (let i = 0; i < 4; i++) view.setUint8(i, magic.charCodeAt(i));
  [seq, grid, outputs, unitGrid, nodes, params.length].forEach((v, i) => view.setUint32(4 + 4 * i, v, true));
  output.forEach((v, i) => view.setFloat32(28 + 4 * i, v, true));
  params.forEach((v, i) => view.setFloat32(28 + 4 * (output.length + i), v, true));
  units.forEach((v, i) => view.setUint8(28 + 4 * (output.length + params.length) + i, v));
  return buf;
}

describe('decodeFrame', () => {
  it('reads the output grid, the parameters and the unit maps', () => {
    const f = decodeFrame(frame(17, 2, [-1, -0.5, 0.25, 1], [0.5, -2, 3], 1, [0, 128, 255]));
    expect(f.seq).toBe(17);
    expect(f.output).toMatchObject({ seq: 17, width: 2, height: 2, maps: 1 });
    expect(Array.from(f.output.values)).toEqual([-1, -0.5, 0.25, 1]);
    expect(Array.from(f.params)).toEqual([0.5, -2, 3]);
    expect(f.nodes).toBe(3);
    expect(f.unitGrid).toBe(1);
    expect(Array.from(f.units)).toEqual([0, 128, 255]);
  });

  it('reads one probability map per class when there are more than two', () => {
    const f = decodeFrame(frame(2, 1, [0.2, 0.5, 0.3], [], 0, []));
    expect(f.output.maps).toBe(3);
    expect(Array.from(f.output.values).map((v) => v.toFixed(1))).toEqual(['0.2', '0.5', '0.3']);
  });

  it('reads little-endian fields, seq as unsigned', () => {
    const f = decodeFrame(frame(0xfffffffe, 1, [0.1], [], 0, []));
    expect(f.seq).toBe(4294967294);
    expect(f.output.values[0]).toBeCloseTo(0.1, 7);
    const raw = new Uint8Array(frame(1, 2, [0, 0, 0, 0], [], 0, []));
    expect(Array.from(raw.slice(8, 12))).toEqual([2, 0, 0, 0]);
  });

  it('decodes a full 100×100 grid with 20×20 maps', () => {
    const output = Array.from({ length: 100 * 100 }, (_, i) => (i % 200) / 100 - 1);
    const units = Array.from({ length: 9 * 400 }, (_, i) => i % 256);
    const f = decodeFrame(frame(3, 100, output, [1, 2], 20, units));
    expect(f.output.values.length).toBe(10_000);
    expect(f.output.values[199]).toBeCloseTo(0.99, 6);
    expect(f.nodes).toBe(9);
    expect(f.units[3599]).toBe(3599 % 256);
  });

  it('rejects a bad magic', () => {
    expect(() => decodeFrame(frame(1, 1, [0], [], 0, [], 'NLHM'))).toThrow(ProtocolError);
    expect(() => decodeFrame(frame(1, 1, [0], [], 0, [], 'PNG!'))).toThrow(/bad magic "PNG!", expected "NLFR"/);
  });

  it('rejects a truncated payload or trailing bytes and names the sizes', () => {
    const full = frame(1, 2, [0, 0, 0, 0], [1], 2, [1, 2, 3, 4]);
    expect(() => decodeFrame(full.slice(0, full.byteLength - 1))).toThrow(
      'frame: 1 output map(s) of 2×2, 1 params and 1 maps of 2×2 need 52 bytes, got 51',
    );
    const longer = new Uint8Array(full.byteLength + 1);
    longer.set(new Uint8Array(full));
    expect(() => decodeFrame(longer.buffer)).toThrow(/need 52 bytes, got 53/);
  });

  it('rejects a buffer shorter than the header, and an empty grid', () => {
    expect(() => decodeFrame(new ArrayBuffer(10))).toThrow(/10 bytes, shorter than its 28-byte header/);
    expect(() => decodeFrame(frame(1, 0, [], [], 0, []))).toThrow(/empty output grid/);
  });
});

describe('decodeBinary', () => {
  it('tells frames, checkpoints and GIFs apart by their magic', () => {
    expect(decodeBinary(frame(1, 1, [0], [], 0, [])).kind).toBe('frame');
    const gif = new Uint8Array([78, 76, 71, 70, 2, 0, 0, 0, 5, 0, 0, 0, 71, 73, 70]);
    expect(decodeBinary(gif.buffer)).toEqual({ kind: 'gif', gif: { timeline: 2, frames: 5, gif: new Uint8Array([71, 73, 70]) } });
    const inner = new Uint8Array(frame(0, 1, [0.5], [], 0, []));
    const cp = new Uint8Array(24 + 4 + inner.length);
    cp.set([78, 76, 67, 80]);
    const v = new DataView(cp.buffer);
    [3, 1].forEach((x, i) => v.setUint32(4 + 4 * i, x, true));
    v.setFloat32(12, 0.5, true);
    [1, 1].forEach((x, i) => v.setUint32(16 + 4 * i, x, true));
    cp.set([9, 8, 7, 255], 24);
    cp.set(inner, 28);
    const b = decodeBinary(cp.buffer);
    expect(b.kind).toBe('checkpoint');
    if (b.kind !== 'checkpoint') return;
    expect(b.view).toMatchObject({ timeline: 3, index: 1, t: 0.5, width: 1, height: 1 });
    expect(Array.from(b.view.rgba)).toEqual([9, 8, 7, 255]);
    expect(b.view.frame.output.values[0]).toBe(0.5);
  });
});
