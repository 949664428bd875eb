// The in-page engine's speed, read off the session's own messages: the epoch of each text
// message that has one ("state" and the like), over the last second or so.

const EPOCH = /"epoch":(\d+)/;
const WINDOW_MS = 1000;

export class EpochRate {
  private since: { at: number; epoch: number } | null = null;
  private latest: { at: number; epoch: number } | null = null;

  constructor(private readonly now: () => number) {}

  /** Notes a message's epoch, when it carries one. */
  saw(text: string): void {
    const m = EPOCH.exec(text);
    if (!m) return;
    const sample = { at: this.now(), epoch: Number(m[1]) };
    // A lower epoch is a new run (reset, a new spec), a long gap a pause: start measuring again.
    const last = this.latest;
    if (!this.since || !last || sample.epoch < last.epoch || sample.at - last.at > WINDOW_MS) this.since = sample;
    this.latest = sample;
  }

  /** Epochs per second once a window has passed with training in it, then starts the next; else null. */
  rate(): number | null {
    if (!this.since || !this.latest || this.latest.at - this.since.at < WINDOW_MS) return null;
    const rate = ((this.latest.epoch - this.since.epoch) * 1000) / (this.latest.at - this.since.at);
    this.since = this.latest;
    return rate > 0 ? rate : null;
  }
}
