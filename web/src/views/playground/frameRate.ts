// The frames a page has received, and how many arrived in the last second (the frames/s shown).

export class FrameRate {
  private times: number[] = [];
  private count = 0;

  /** A frame arrived at `now` (ms); returns how many have arrived in all. */
  received(now: number): number {
    this.count++;
    this.times.push(now);
    while (this.times.length && this.times[0] < now - 1000) this.times.shift();
    return this.count;
  }

  /** The frames of the last second, or a dash before any. */
  text(): string {
    return this.times.length ? String(this.times.length) : '–';
  }
}
