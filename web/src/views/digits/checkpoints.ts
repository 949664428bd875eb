// The training-stage scrubber of the Digits view: positions 0..n-1 are the run's checkpoints,
// position n the current weights (where the slider rests, and follows a run as it grows).

import type { CheckpointInfo } from './messages';

/** The checkpoint index a slider position asks for: -1 for the current weights. */
export function checkpointIndex(position: number, count: number): number {
  return position >= count ? -1 : Math.max(0, Math.round(position));
}

/** What the slider's label says at a position. */
export function checkpointLabel(list: CheckpointInfo[], position: number): string {
  const index = checkpointIndex(position, list.length);
  if (index < 0) return 'current weights';
  const c = list[index];
  const loss = c.loss === undefined ? '' : `, loss ${c.loss.toFixed(3)}`;
  return `checkpoint ${index + 1}/${list.length}: ${c.examples.toLocaleString('en')} images seen (epoch ${c.epoch})${loss}`;
}
