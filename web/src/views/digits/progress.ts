// What the Digits status bar says about a run in training: the epoch under way (1-based, never
// past the last: once every epoch has finished the run is being tested), the step, and the
// validation figures once the first epoch has ended.

import type { MessageOf } from '../../lib/wire';
import type { MESSAGES } from './messages';

type Progress = MessageOf<typeof MESSAGES> & { type: 'progress' };

export function progressText(m: Progress): string {
  if (m.phase === 'loading') return `loading ${m.data}…`;
  if (m.phase === 'done') return `trained: test accuracy ${(100 * (m.test_accuracy ?? 0)).toFixed(2)} %`;
  const val = m.validation_loss !== undefined
    ? `, validation loss ${m.validation_loss.toFixed(4)}, accuracy ${(100 * (m.validation_accuracy ?? 0)).toFixed(2)} %`
    : '';
  const finished = m.epoch ?? 0;
  const epochs = m.epochs ?? 0;
  if (epochs > 0 && finished >= epochs) return `training ${m.model} on ${m.data}: all ${epochs} epochs done, testing…${val}`;
  return `training ${m.model} on ${m.data}: epoch ${finished + 1}/${epochs}, step ${m.step}/${m.steps}${val}`;
}
