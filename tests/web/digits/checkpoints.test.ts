import { describe, expect, it } from 'vitest';
import { checkpointIndex, checkpointLabel } from '../../../web/src/views/digits/checkpoints';

const list = [
  { examples: 0, epoch: 0 },
  { examples: 50, epoch: 0 },
  { examples: 54000, epoch: 1, loss: 0.1234 },
];

describe('the Digits checkpoint scrubber', () => {
  it('maps the last position to the current weights and the others to checkpoints', () => {
    expect(checkpointIndex(3, 3)).toBe(-1);
    expect(checkpointIndex(0, 3)).toBe(0);
    expect(checkpointIndex(2, 3)).toBe(2);
    expect(checkpointIndex(0, 0)).toBe(-1);
  });

  it('labels a checkpoint with the images seen, its epoch and its loss', () => {
    expect(checkpointLabel(list, 3)).toBe('current weights');
    expect(checkpointLabel(list, 0)).toBe('checkpoint 1/3: 0 images seen (epoch 0)');
    expect(checkpointLabel(list, 2)).toBe('checkpoint 3/3: 54,000 images seen (epoch 1), loss 0.123');
  });
});
