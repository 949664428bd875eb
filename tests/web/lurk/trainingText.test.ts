import { describe, expect, it } from 'vitest';
import { trainingText } from '../../../web/src/views/lurk/trainingText';

describe('the training line', () => {
  it('says how far a run trained here has got, counting epochs from 1', () => {
    expect(trainingText({ type: 'training', phase: 'training', data: 'mnist', model: 'cnn', epoch: 0, epochs: 2, step: 40, steps: 1688 }))
      .toBe('training a mnist CNN: epoch 1/2, step 40/1688');
    expect(trainingText({ type: 'training', phase: 'done', data: 'fashion-mnist', model: 'mlp' }))
      .toBe('fashion-mnist MLP: training stopped; scrub through its checkpoints');
  });

  it('names a followed run, while it trains and once it has ended', () => {
    expect(trainingText({ type: 'training', phase: 'following', data: 'mnist', model: 'run', run: 'mnist-cnn-20261202-061500' }))
      .toBe('following the run mnist-cnn-20261202-061500 as it trains: each new checkpoint is shown as it comes');
    expect(trainingText({ type: 'training', phase: 'done', data: 'mnist', model: 'run', run: 'mnist-cnn-20261202-061500' }))
      .toBe('the run mnist-cnn-20261202-061500 has ended; scrub through its checkpoints');
  });
});
