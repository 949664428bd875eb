import { describe, expect, it } from 'vitest';
import { readLink, writeLink } from '../../../web/src/views/lurk/hashState';

describe('the Lurk link', () => {
  it('writes and reads model, layer, unit, method, CAM layer, target and test image', () => {
    const link = { model: 'mnist-cnn.nlmodel', layer: 3, unit: 11, method: 'layer_cam', cam: 4, target: 2, test: 1234 };
    const hash = writeLink(link);
    expect(hash).toBe('#model=mnist-cnn.nlmodel&layer=3&unit=11&method=layer_cam&cam=4&target=2&test=1234');
    expect(readLink(hash)).toEqual({ link, problems: [] });
  });

  it('writes and reads a run, the colour scale, the diversity weight and the sanity check', () => {
    const link = { run: 'mnist-cnn-run', layer: 0, unit: 1, method: 'grad_cam', scale: 'global', diversity: 2.5, sanity: true };
    const hash = writeLink(link);
    expect(hash).toBe('#run=mnist-cnn-run&layer=0&unit=1&method=grad_cam&scale=global&diversity=2.5&sanity=true');
    expect(readLink(hash)).toEqual({ link, problems: [] });
  });

  it('leaves out what it cannot read and says so', () => {
    const { link, problems } = readLink('#layer=three&unit=2&colour=red');
    expect(link).toEqual({ unit: 2 });
    expect(problems).toEqual(['layer: not a number: "three"', 'colour: unknown key']);
  });
});
