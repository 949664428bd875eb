import { describe, expect, it } from 'vitest';
import { ProtocolError, decodeFrame, parseServerMessage } from '../../web/src/lib/protocol';

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

describe('parseServerMessage', () => {
  it('reads a state with accuracies and ignores unknown fields', () => {
    const m = parseServerMessage(
      JSON.stringify({
        type: 'state', seq: 17, epoch: 42, running: true,
        train_loss: 0.0123, test_loss: 0.015, train_accuracy: 0.996, test_accuracy: 0.992, extra: 'x',
        confusion: [[120, 3], [2, 125]], pruned: [[4, 7]], epochs_per_frame: 5, stop_epoch: 0, stop_test_loss: 0.01,
        stopped: 'test loss fell below 0.01',
      }),
    );
    expect(m).toEqual({
      type: 'state', seq: 17, epoch: 42, running: true,
      train_loss: 0.0123, test_loss: 0.015, train_accuracy: 0.996, test_accuracy: 0.992,
      confusion: [[120, 3], [2, 125]], pruned: [[4, 7]], epochs_per_frame: 5, stop_epoch: 0, stop_test_loss: 0.01,
      stopped: 'test loss fell below 0.01',
    });
  });

  it('reads a regression state without accuracies, and a null loss as NaN', () => {
    const m = parseServerMessage(
      '{"type":"state","seq":1,"epoch":0,"running":false,"train_loss":null,"test_loss":0.5,"pruned":[],' +
        '"epochs_per_frame":1,"stop_epoch":0,"stop_test_loss":0}',
    );
    expect(m.type).toBe('state');
    if (m.type !== 'state') return;
    expect(m.train_loss).toBeNaN();
    expect(m.test_loss).toBe(0.5);
    expect('train_accuracy' in m).toBe(false);
  });

  it('reads spec, data, hello and error messages', () => {
    expect(
      parseServerMessage(
        '{"type":"spec","run":3,"spec":{"seed":1},"layers":[{"in":2,"out":4},{"in":4,"out":1}],"classes":2,' +
          '"domain":{"x_min":-6,"x_max":6,"y_min":-5,"y_max":5},"grid":100,"unit_grid":20,"uploaded":null,"added_points":2}',
      ),
    ).toEqual({
      type: 'spec', run: 3, spec: { seed: 1 }, layers: [{ in: 2, out: 4 }, { in: 4, out: 1 }], classes: 2,
      domain: { x_min: -6, x_max: 6, y_min: -5, y_max: 5 }, grid: 100, unit_grid: 20, uploaded: null, added_points: 2,
    });
    expect(parseServerMessage('{"type":"data","problem":"classification","train":[[1,2,-1]],"test":[[0.5,-3,1]]}')).toEqual({
      type: 'data', problem: 'classification', train: [[1, 2, -1]], test: [[0.5, -3, 1]],
    });
    const choices = { activation: ['tanh'], loss: ['squared_error'], optimizer: ['sgd'], regularization: ['none'] };
    expect(
      parseServerMessage(
        JSON.stringify({
          type: 'hello', protocol: 2, version: '0.1.0', features: ['x1', 'x2'], choices, unit_grid: 1,
          feature_maps: { x1: [0], x2: [255] },
          datasets: [{ name: 'circle', problem: 'classification', classes: 2, preview: [[0, 1, -1]] }],
        }),
      ),
    ).toEqual({
      type: 'hello', protocol: 2, version: '0.1.0', features: ['x1', 'x2'], choices, unit_grid: 1,
      feature_maps: { x1: new Uint8Array([0]), x2: new Uint8Array([255]) },
      datasets: [{ name: 'circle', problem: 'classification', classes: 2, preview: [[0, 1, -1]] }],
    });
    expect(parseServerMessage('{"type":"export","model":{"version":1},"pytorch":"import torch"}')).toEqual({
      type: 'export', model: { version: 1 }, pytorch: 'import torch',
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
    expect(() =>
      parseServerMessage(
        '{"type":"state","seq":1,"epoch":3,"running":true,"train_loss":1,"test_loss":1,"pruned":[[1.5]],' +
          '"epochs_per_frame":1,"stop_epoch":0,"stop_test_loss":0}',
      ),
    ).toThrow('state.pruned[0]: expected an array of integers');
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
