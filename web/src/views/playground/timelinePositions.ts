// Where the Timeline's scrubber is: slider values over the checkpoints, `factor` steps per
// interval between two of them (the server interpolates the maps in between). Pure functions.

import type { CheckpointInfo } from './messages';

export interface Position {
  /** The checkpoint at or before the position. */
  index: number;
  /** 0..1 of the way to the next checkpoint. */
  t: number;
}

/** Slider positions over n checkpoints: (n − 1) · factor + 1, the last one the last checkpoint. */
export function positionCount(checkpoints: number, factor: number): number {
  return checkpoints > 0 ? (checkpoints - 1) * factor + 1 : 0;
}

export function positionAt(value: number, factor: number): Position {
  const v = Math.max(0, Math.round(value));
  return { index: Math.floor(v / factor), t: (v % factor) / factor };
}

/** The slider value of the same place with another factor (the nearest position there). */
export function rescale(value: number, from: number, to: number): number {
  return Math.round((value / from) * to);
}

/** The fractional epoch at a position (examples interpolated), for the loss chart's marker. */
export function epochAt(checkpoints: readonly CheckpointInfo[], p: Position, trainSize: number): number {
  const a = checkpoints[p.index];
  const b = checkpoints[Math.min(p.index + 1, checkpoints.length - 1)];
  if (!a || trainSize <= 0) return 0;
  return ((1 - p.t) * a.examples + p.t * b.examples) / trainSize;
}

/** "epoch 0", "epoch 2.4" early on, "epoch 1,240" later, as the map's title counts. */
export function formatPosition(epoch: number, checkpoint: number, count: number): string {
  const whole = Math.abs(epoch - Math.round(epoch)) < 0.05 || epoch >= 10;
  const e = whole ? Math.round(epoch).toLocaleString('en-US') : epoch.toFixed(1);
  return `epoch ${e} · checkpoint ${checkpoint + 1} of ${count}`;
}
