import { describe, expect, it } from 'vitest';
import { MESSAGES, decodeFramePictures, paramNames } from '../../../web/src/views/inside/messages';
import { decodeMessage } from '../../../web/src/lib/wire';

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

describe('decodeFramePictures', () => {
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
    const p = decodeFramePictures(new Uint8Array(bytes).buffer);
    expect(p.seq).toBe(7);
    expect(Array.from(p.boundary.values)).toEqual([0.5, -0.5]);
    expect(p.grid.shape).toEqual([0, 0, 2]);
    expect(p.surface.values[0]).toBe(0.25);
    expect(Array.from(p.trajectory.values)).toEqual([0, 0, 0, Math.fround(0.3), 0.25]);
  });
  it('refuses another kind of frame', () => {
    const bytes = new Uint8Array([78, 76, 68, 65, 0, 0, 0, 0, 0, 0, 0, 0]); // NLDA, no tensors
    expect(() => decodeFramePictures(bytes.buffer)).toThrow(/NLIN/);
  });
});

describe('Inside messages', () => {
  const frame = {
    type: 'frame', seq: 3, epoch: 500, epochs: 20000, running: true, finished: false, stopped: false,
    loss: null, accuracy: 0.5, gradient_norms: [0.1, null], params: [1, 2],
    nodes: { x1: 0, x2: 1, inputs: [0, 1], layers: [{ pre: [0.5], activation: [0.4], bias: [0.1] }] },
    hidden: { layer: 0, error: 'a layer of one unit has no space to show' },
    surface: { directions: 'random', first: 0, second: 1, extent: 1, resolution: 41 },
  };

  it('reads a frame: a null loss stays null, a null gradient norm reads as NaN', () => {
    const m = decodeMessage(MESSAGES, frame);
    expect(m?.type).toBe('frame');
    if (m?.type !== 'frame') return;
    expect(m.loss).toBeNull();
    expect(m.gradient_norms).toEqual([0.1, NaN]);
    expect(m.hidden.error).toMatch(/one unit/);
  });

  it('names the field at fault', () => {
    expect(() => decodeMessage(MESSAGES, { ...frame, surface: { ...frame.surface, directions: 'up' } })).toThrow(/^frame\.surface\.directions: /);
    expect(() => decodeMessage(MESSAGES, { type: 'run', run: 1, spec: {}, layers: [], domain: {}, points: [] })).toThrow(/^run\.spec\.dataset: /);
  });
});
