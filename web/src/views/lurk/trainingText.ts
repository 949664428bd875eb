// The line above the checkpoint scrubber that says what the run on show is doing.

import type { TrainingMessage } from './messages';

export function trainingText(m: TrainingMessage): string {
  if (m.model === 'run')
    return m.phase === 'done'
      ? `the run ${m.run ?? ''} has ended; scrub through its checkpoints`
      : `following the run ${m.run ?? ''} as it trains: each new checkpoint is shown as it comes`;
  const what = `${m.data} ${m.model.toUpperCase()}`;
  return m.phase === 'done'
    ? `${what}: training stopped; scrub through its checkpoints`
    : `training a ${what}: epoch ${(m.epoch ?? 0) + 1}/${m.epochs}, step ${m.step}/${m.steps}`;
}
