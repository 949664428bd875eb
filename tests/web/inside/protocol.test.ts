import { describe, expect, it } from 'vitest';
import { paramNames, parseFramePictures, specFromQuery } from '../../../web/src/views/inside/protocol';

describe('specFromQuery', () => {
  it('reads the settings netlens xor puts in the link', () => {
    expect(specFromQuery('?hidden=3&refresh=200&epochs=40000&activation=tanh&learning_rate=0.5&dataset=xor4')).toEqual({
      hidden: [3],
      refresh: 200,
      epochs: 40000,
      activation: 'tanh',
      learning_rate: 0.5,
      dataset: 'xor4',
    });
  });
  it('reads several hidden layers and leaves out what it cannot read', () => {
    expect(specFromQuery('hidden=4,2&epochs=many&seed=&noise=10&colour=red')).toEqual({ hidden: [4, 2], noise: 10 });
    expect(specFromQuery('hidden=4,x')).toEqual({});
    expect(specFromQuery('hidden=0')).toEqual({});
  });
});

describe('paramNames', () => {
  it('names a 2-2-1 network in the flat order the server sends: weights (in, out) row-major, then biases', () => {
    expect(paramNames([{ in: 2, out: 2 }, { in: 2, out: 1 }])).toEqual([
      'w x1→h1.1', 'w x1→h1.2', 'w x2→h1.1', 'w x2→h1.2', 'b h1.1', 'b h1.2',
      'w h1.1→out', 'w h1.2→out', 'b out',
    ]);
  });
  it('counts every parameter of a deeper network', () => {
    const names = paramNames([{ in: 2, out: 4 }, { in: 4, out: 3 }, { in: 3, out: 1 }]);
    expect(names).toHaveLength(2 * 4 + 4 + 4 * 3 + 3 + 3 + 1);
    expect(names[12]).toBe('w h1.1→h2.1');
    expect(names[names.length - 1]).toBe('b out');
  });
});

describe('parseFramePictures', () => {
  it('reads the five tensors of an NLIN frame', () => {
    const tensors: [number[], number[]][] = [
      [[1, 2], [0.5, -0.5]],
      [[1, 2], [1, 2]],
      [[0, 0, 2], []],
      [[1, 1], [0.25]],
      [[1, 5], [0, 0, 0, 0.3, 0.25]],
    ];
    const bytes: number[] = [];
    const u32 = (v: number) => bytes.push(v & 255, (v >> 8) & 255, (v >> 16) & 255, (v >>> 24) & 255);
    bytes.push(...'NLIN'.split('').map((c) => c.charCodeAt(0)));
    u32(7);
    u32(tensors.length);
    for (const [shape, values] of tensors) {
      u32(shape.length);
      shape.forEach(u32);
      bytes.push(...new Uint8Array(new Float32Array(values).buffer));
    }
    const p = parseFramePictures(new Uint8Array(bytes).buffer);
    expect(p.seq).toBe(7);
    expect(Array.from(p.boundary.values)).toEqual([0.5, -0.5]);
    expect(p.grid.shape).toEqual([0, 0, 2]);
    expect(p.surface.values[0]).toBe(0.25);
    expect(Array.from(p.trajectory.values)).toEqual([0, 0, 0, Math.fround(0.3), 0.25]);
  });
  it('refuses another kind of frame', () => {
    const bytes = new Uint8Array([78, 76, 68, 65, 0, 0, 0, 0, 0, 0, 0, 0]); // NLDA, no tensors
    expect(() => parseFramePictures(bytes.buffer)).toThrow(/NLIN/);
  });
});
