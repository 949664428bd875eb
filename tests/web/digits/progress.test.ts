import { describe, expect, it } from 'vitest';
import { progressText } from '../../../web/src/views/digits/progress';

const training = { type: 'progress', data: 'mnist', model: 'mlp', phase: 'training', epochs: 2, step: 10, steps: 422 } as const;

describe('the Digits progress line', () => {
  it('counts the epoch under way from 1', () => {
    expect(progressText({ ...training, epoch: 0 })).toBe('training mlp on mnist: epoch 1/2, step 10/422');
    expect(progressText({ ...training, epoch: 1, validation_loss: 0.12345, validation_accuracy: 0.9612 })).toBe(
      'training mlp on mnist: epoch 2/2, step 10/422, validation loss 0.1235, accuracy 96.12 %',
    );
  });

  it('never reads "epoch 3/2": after the last epoch the run is being tested', () => {
    const text = progressText({ ...training, epoch: 2, validation_loss: 0.1, validation_accuracy: 0.97 });
    expect(text).not.toMatch(/epoch 3\/2/);
    expect(text).toBe('training mlp on mnist: all 2 epochs done, testing…, validation loss 0.1000, accuracy 97.00 %');
  });

  it('says loading and done in words', () => {
    expect(progressText({ ...training, phase: 'loading' })).toBe('loading mnist…');
    expect(progressText({ ...training, phase: 'done', epoch: 2, test_accuracy: 0.9731, kept: 'run' })).toBe(
      'after 2 of 2 epochs: test accuracy 97.31 %: this run is saved and loaded',
    );
  });

  it('says which model is loaded when a run ends', () => {
    const done = { ...training, phase: 'done', epoch: 0, test_accuracy: 0.1234 } as const;
    expect(progressText({ ...done, kept: 'saved', saved_test_accuracy: 0.9731 })).toBe(
      "after 0 of 2 epochs: test accuracy 12.34 %, below the saved model's 97.31 %: the saved model stays loaded",
    );
    expect(progressText({ ...done, epoch: 2, test_accuracy: 0.98, kept: 'run', saved_test_accuracy: 0.9731 })).toBe(
      "after 2 of 2 epochs: test accuracy 98.00 %, not below the saved model's 97.31 %: this run is saved and loaded",
    );
  });
});
