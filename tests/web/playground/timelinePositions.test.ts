import { describe, expect, it } from 'vitest';
import type { CheckpointInfo } from '../../../web/src/views/playground/messages';
import { epochAt, formatPosition, positionAt, positionCount, rescale } from '../../../web/src/views/playground/timelinePositions';

const checkpoint = (index: number, examples: number): CheckpointInfo => ({
  index,
  epoch: Math.floor(examples / 250),
  examples,
  train_loss: 0.5,
  test_loss: 0.5,
});

describe('timeline positions', () => {
  it('has factor positions per interval and one for the last checkpoint', () => {
    expect(positionCount(0, 4)).toBe(0);
    expect(positionCount(1, 4)).toBe(1);
    expect(positionCount(35, 1)).toBe(35);
    expect(positionCount(35, 4)).toBe(34 * 4 + 1);
  });

  it('maps a slider value to the checkpoint before it and the fraction past it', () => {
    expect(positionAt(0, 4)).toEqual({ index: 0, t: 0 });
    expect(positionAt(5, 4)).toEqual({ index: 1, t: 0.25 });
    expect(positionAt(8, 4)).toEqual({ index: 2, t: 0 });
    expect(positionAt(7, 1)).toEqual({ index: 7, t: 0 });
    expect(positionAt(-3, 2)).toEqual({ index: 0, t: 0 });
  });

  it('keeps the place when the factor changes', () => {
    expect(rescale(8, 4, 2)).toBe(4);
    expect(rescale(3, 1, 4)).toBe(12);
    expect(positionAt(rescale(6, 4, 8), 8)).toEqual(positionAt(6, 4));
  });

  it('puts the chart marker at the interpolated examples over the training set size', () => {
    const list = [checkpoint(0, 0), checkpoint(1, 250), checkpoint(2, 750)];
    expect(epochAt(list, { index: 1, t: 0 }, 250)).toBe(1);
    expect(epochAt(list, { index: 1, t: 0.5 }, 250)).toBe(2);
    expect(epochAt(list, { index: 2, t: 0 }, 250)).toBe(3);
    expect(epochAt([], { index: 0, t: 0 }, 250)).toBe(0);
  });

  it('says where the scrubber is', () => {
    expect(formatPosition(0.2, 1, 35)).toBe('epoch 0.2 · checkpoint 2 of 35');
    expect(formatPosition(0, 0, 35)).toBe('epoch 0 · checkpoint 1 of 35'); // not 'epoch 0.0'
    expect(formatPosition(3.98, 9, 35)).toBe('epoch 4 · checkpoint 10 of 35');
    expect(formatPosition(1240.4, 20, 35)).toBe('epoch 1,240 · checkpoint 21 of 35');
  });
});
