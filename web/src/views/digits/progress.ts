// What the Digits status bar says about a run in training: the epoch under way (1-based, never
// past the last: once every epoch has finished the run is being tested), the step, and the
// validation figures once the first epoch has ended; at the end, which model is loaded: the run,
// or the saved model when the run (stopped early, say) did worse on the test set.

import type { MessageOf } from '../../lib/wire';
import type { MESSAGES } from './messages';

type Progress = MessageOf<typeof MESSAGES> & { type: 'progress' };

export function progressText(m: Progress): string {
  if (m.phase === 'loading') return `loading ${m.data}…`;
  if (m.phase === 'done') return doneText(m);
  const val = m.validation_loss !== undefined
    ? `, validation loss ${m.validation_loss.toFixed(4)}, accuracy ${(100 * (m.validation_accuracy ?? 0)).toFixed(2)} %`
    : '';
  const finished = m.epoch ?? 0;
  const epochs = m.epochs ?? 0;
  if (epochs > 0 && finished >= epochs) return `training ${m.model} on ${m.data}: all ${epochs} epochs done, testing…${val}`;
  return `training ${m.model} on ${m.data}: epoch ${finished + 1}/${epochs}, step ${m.step}/${m.steps}${val}`;
}

const percent = (v: number | undefined) => `${(100 * (v ?? 0)).toFixed(2)} %`;

function doneText(m: Progress): string {
  const run = `after ${m.epoch ?? 0} of ${m.epochs ?? 0} epochs: test accuracy ${percent(m.test_accuracy)}`;
  if (m.kept === 'saved') return `${run}, below the saved model's ${percent(m.saved_test_accuracy)}: the saved model stays loaded`;
  const better = m.saved_test_accuracy !== undefined ? `, not below the saved model's ${percent(m.saved_test_accuracy)}` : '';
  return `${run}${better}: this run is saved and loaded`;
}
