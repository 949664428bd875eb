import { describe, expect, it } from 'vitest';
import { MESSAGES } from '../../../web/src/views/playground/messages';
import { decodeMessage, parseJson } from '../../../web/src/lib/wire';

const parse = (text: string) => decodeMessage(MESSAGES, parseJson(text));

/** A run spec as the server sends it (train/run_spec's to_json); keys the page does not read pass through. */
const RUN_SPEC = {
  dataset: 'circle', noise: 0, train_ratio: 0.5, num_samples: 500, features: ['x1', 'x2'],
  hidden_layers: [{ units: 4, activation: 'tanh' }], problem: 'classification', loss: 'squared_error', optimizer: 'sgd',
  learning_rate: 0.03, momentum: 0.9, regularization: 'none', regularization_rate: 0, batch_size: 10, seed: 1, data_seed: 2, init: 'xavier',
};

describe('Playground messages', () => {
  it('reads a state with accuracies and ignores unknown fields', () => {
    const m = parse(
      JSON.stringify({
        type: 'state', seq: 17, epoch: 42, running: true,
        train_loss: 0.0123, test_loss: 0.015, train_accuracy: 0.996, test_accuracy: 0.992, extra: 'x',
        confusion: [[120, 3], [2, 125]], pruned: [[4, 7]], dead_links: 0, epochs_per_frame: 5, stop_epoch: 0, stop_test_loss: 0.01,
        stopped: 'test loss fell below 0.01',
      }),
    );
    expect(m).toEqual({
      type: 'state', seq: 17, epoch: 42, running: true,
      train_loss: 0.0123, test_loss: 0.015, train_accuracy: 0.996, test_accuracy: 0.992,
      confusion: [[120, 3], [2, 125]], pruned: [[4, 7]], dead_links: 0, epochs_per_frame: 5, stop_epoch: 0, stop_test_loss: 0.01,
      stopped: 'test loss fell below 0.01',
    });
  });

  it('reads a regression state without accuracies, and a null loss as NaN', () => {
    const m = parse(
      '{"type":"state","seq":1,"epoch":0,"running":false,"train_loss":null,"test_loss":0.5,"pruned":[],"dead_links":0,' +
        '"epochs_per_frame":1,"stop_epoch":0,"stop_test_loss":0}',
    );
    expect(m?.type).toBe('state');
    if (m?.type !== 'state') return;
    expect(m.train_loss).toBeNaN();
    expect(m.test_loss).toBe(0.5);
    expect('train_accuracy' in m).toBe(false);
  });

  it('reads spec, data, hello and error messages', () => {
    expect(
      parse(
        `{"type":"spec","run":3,"spec":${JSON.stringify(RUN_SPEC)},"layers":[{"in":2,"out":4},{"in":4,"out":1}],"classes":2,` +
          '"domain":{"x_min":-6,"x_max":6,"y_min":-5,"y_max":5},"grid":100,"unit_grid":20,"uploaded":null,"rescaled":null,"added_points":2}',
      ),
    ).toEqual({
      type: 'spec', run: 3, spec: RUN_SPEC, layers: [{ in: 2, out: 4 }, { in: 4, out: 1 }], classes: 2,
      domain: { x_min: -6, x_max: 6, y_min: -5, y_max: 5 }, grid: 100, unit_grid: 20, uploaded: null, rescaled: null, added_points: 2,
    });
    expect(parse('{"type":"data","problem":"classification","train":[[1,2,-1]],"test":[[0.5,-3,1]]}')).toEqual({
      type: 'data', problem: 'classification', train: [[1, 2, -1]], test: [[0.5, -3, 1]],
    });
    const choices = { activation: ['tanh'], loss: ['squared_error'], optimizer: ['sgd'], regularization: ['none'], init: ['xavier'] };
    expect(
      parse(
        JSON.stringify({
          type: 'hello', view: 'playground', protocol: 3, version: '0.1.0', features: ['x1', 'x2'], choices, unit_grid: 1, max_message_bytes: 1048576,
          feature_maps: { x1: [0], x2: [255] },
          datasets: [{ name: 'circle', problem: 'classification', classes: 2, preview: [[0, 1, -1]] }],
        }),
      ),
    ).toEqual({
      type: 'hello', view: 'playground', protocol: 3, version: '0.1.0', features: ['x1', 'x2'], choices, unit_grid: 1, max_message_bytes: 1048576,
      feature_maps: { x1: new Uint8Array([0]), x2: new Uint8Array([255]) },
      datasets: [{ name: 'circle', problem: 'classification', classes: 2, preview: [[0, 1, -1]] }],
    });
    expect(parse('{"type":"export","model":{"version":1},"pytorch":"import torch"}')).toEqual({
      type: 'export', model: { version: 1 }, pytorch: 'import torch',
    });
    expect(parse('{"type":"error","command":"set_spec","message":"set_spec: bad spec"}')).toEqual({
      type: 'error', command: 'set_spec', message: 'set_spec: bad spec',
    });
  });

  it('names the field at fault', () => {
    const state = { type: 'state', seq: 1, epoch: 3, running: true, train_loss: 1, test_loss: 1, pruned: [], dead_links: 0, epochs_per_frame: 1, stop_epoch: 0, stop_test_loss: 0 };
    const bad = (fields: object) => () => parse(JSON.stringify({ ...state, ...fields }));
    expect(bad({ epoch: '3' })).toThrow(/^state\.epoch: .*expected number/);
    expect(bad({ running: 1 })).toThrow(/^state\.running: .*expected boolean/);
    expect(bad({ pruned: [[1.5]] })).toThrow(/^state\.pruned\[0\]\[0\]: .*expected int/);
    expect(() => parse('{"type":"data","problem":"c","train":[[1,2]],"test":[]}')).toThrow('data.train[0]: expected [x1, x2, label]');
    expect(() => parse('{"type":"spec","spec":{},"domain":{"x_min":1,"x_max":1,"y_min":0,"y_max":1},"grid":100}')).toThrow(
      /^spec\.run: /,
    );
    const spec = { type: 'spec', run: 1, layers: [], classes: 2, domain: { x_min: -1, x_max: 1, y_min: -1, y_max: 1 }, grid: 100, unit_grid: 20, uploaded: null, rescaled: null, added_points: 0 };
    expect(() => parse(JSON.stringify({ ...spec, spec: { ...RUN_SPEC, hidden_layers: [{ units: 4 }] } }))).toThrow(
      /^spec\.spec\.hidden_layers\[0\]\.activation: /,
    );
    expect(() => parse(JSON.stringify({ ...spec, spec: RUN_SPEC, domain: { x_min: 1, x_max: 1, y_min: 0, y_max: 1 } }))).toThrow(
      'spec.domain: min must be below max',
    );
    const hello = { type: 'hello', protocol: 3, version: '0.1.0', features: ['x1'], feature_maps: { x1: [0] }, unit_grid: 2, max_message_bytes: 1024, datasets: [],
      choices: { activation: [], loss: [], optimizer: [], regularization: [], init: [] } };
    expect(() => parse(JSON.stringify(hello))).toThrow('hello.feature_maps.x1: expected 4 codes');
  });

  it('rejects text that is not a typed JSON object', () => {
    expect(() => parse('not json')).toThrow(/not JSON/);
    expect(() => parse('[1,2]')).toThrow(/^server message: /);
    expect(() => parse('{"kind":"state"}')).toThrow(/^server message\.type: /);
  });

  it('gives null for a type this page does not know', () => {
    expect(parse('{"type":"weights","w":[1]}')).toBeNull();
  });
});
