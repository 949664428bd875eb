// Lurk's training-stage scrubber: a slider over the checkpoints saved with the model (or written
// by a run on show), its right end the trained model, or for a run that goes on its newest
// checkpoint, followed as the run writes more.

import { checkpointIndex, checkpointLabel } from '../digits/checkpoints';
import type { CheckpointInfo } from '../digits/messages';

export class StageScrubber {
  private list: CheckpointInfo[] = [];
  /** A run that goes on is on show (trained here or followed). */
  live = false;
  /** The checkpoint the view shows (-1: the trained model). */
  shown = -1;

  /** `pick(index)`: the user moved the slider to checkpoint `index` (-1: the right end). */
  constructor(
    private readonly input: HTMLInputElement,
    private readonly label: HTMLElement,
    pick: (index: number) => void,
  ) {
    input.addEventListener('input', () => {
      this.showLabel();
      pick(checkpointIndex(Number(input.value), this.list.length));
    });
  }

  /** A network opened: its checkpoints, the slider at its right end. */
  open(list: CheckpointInfo[], live: boolean): void {
    this.live = live;
    this.shown = -1;
    this.input.value = String(list.length);
    this.update(list);
  }

  /** The checkpoint the view now shows. */
  showing(index: number): void {
    this.shown = index;
    this.showLabel();
  }

  /** The run wrote more: the slider stays at its right end (following the run) or where it was put. */
  update(list: CheckpointInfo[]): void {
    const following = Number(this.input.value) >= Number(this.input.max);
    this.list = list;
    this.input.max = String(list.length);
    this.input.disabled = list.length === 0;
    if (following) this.input.value = String(list.length);
    this.showLabel();
  }

  private showLabel(): void {
    const position = Number(this.input.value);
    const list = this.list;
    if (!list.length) this.label.textContent = 'no checkpoints saved with this model';
    else if (checkpointIndex(position, list.length) >= 0) this.label.textContent = checkpointLabel(list, position);
    else this.label.textContent = this.live ? `following the run: ${checkpointLabel(list, this.shown)}` : 'the trained model';
  }
}
