// The Timeline panel: a scrubber over the live run's checkpoints (with interpolated positions
// between them), play/pause, speed, map mode, interpolation, and a GIF download. The server
// draws every map with the renderer `netlens render` uses; this panel asks for one position at
// a time (the newest wins) and shows what comes back: the network, the loss chart's marker and
// (map "output, as live") the output in the live heatmap's colours and place, through its host;
// the server's boundary and region maps on a canvas of the same size, in the same place, with a
// note where the live legend was. Nothing on the page moves while scrubbing.

import { gridToRGBA } from '../../lib/heatmap';
import type { CheckpointView, Frame, TimelineGif } from './frames';
import type { CheckpointInfo, ClientMessage, Interpolation, MapMode, TimelineMessage } from './messages';
import type { PlaygroundElements } from './markup';
import { epochAt, formatPosition, positionAt, positionCount, rescale, type Position } from './timelinePositions';
import './timeline.css';

export const TIMELINE_SPEEDS = [2, 5, 10, 20]; // positions per second
export const INTERP_FACTORS = [1, 2, 4, 8];

export interface TimelineHost {
  send(message: ClientMessage): void;
  /** The network and chart marker at the scrubbed position, or null for the live run. */
  show(at: { frame: Frame; epoch: number } | null): void;
}

export class TimelinePanel {
  private timeline = 0;
  private checkpoints: CheckpointInfo[] = [];
  private trainSize = 1;
  private active = false;
  private factor = 1;
  /** A request is out; `stale` says the scrubber moved on since it was sent. */
  private waiting = false;
  private stale = false;
  private playTimer: ReturnType<typeof setInterval> | null = null;
  private gifUrl: string | null = null;
  /** The live run's epoch: what the position says while not scrubbing (checkpoints lag it). */
  private liveEpoch: number | null = null;

  constructor(
    private readonly els: PlaygroundElements,
    private readonly host: TimelineHost,
  ) {
    const e = els;
    for (const s of TIMELINE_SPEEDS) e.timelineSpeed.append(new Option(`${s} /s`, String(s)));
    e.timelineSpeed.value = '5';
    for (const f of INTERP_FACTORS) e.timelineFactor.append(new Option(`×${f}`, String(f)));
    e.timelineScrubber.addEventListener('input', () => this.scrub());
    e.timelinePlay.addEventListener('click', () => (this.playTimer ? this.pause() : this.play()));
    e.timelineSpeed.addEventListener('change', () => this.playTimer && (this.pause(), this.play()));
    e.timelineLive.addEventListener('click', () => this.leave());
    e.timelineFactor.addEventListener('change', () => {
      const next = Number(e.timelineFactor.value);
      const value = rescale(Number(e.timelineScrubber.value), this.factor, next);
      this.factor = next;
      this.setRange(value);
      if (this.active) this.request();
    });
    e.timelineMode.addEventListener('change', () => {
      this.showMap();
      if (this.active) this.request();
    });
    e.timelineMethod.addEventListener('change', () => this.active && this.request());
    e.timelineGif.addEventListener('click', () => this.exportGif());
    this.showPosition();
  }

  get isActive(): boolean {
    return this.active;
  }

  /** A new list of checkpoints; a new timeline (a new run or a reset) returns to live. */
  setTimeline(m: TimelineMessage): void {
    if (m.timeline !== this.timeline) this.leave();
    this.timeline = m.timeline;
    this.checkpoints = m.checkpoints;
    this.trainSize = m.train_size;
    const last = positionCount(this.checkpoints.length, this.factor) - 1;
    // Live, the scrubber rests on the newest checkpoint.
    this.setRange(this.active ? Number(this.els.timelineScrubber.value) : last);
  }

  /**
   * The run's problem (0 classes: regression). A regression run has no class maps: the map is
   * its output, as live, and there is no GIF; both controls say so instead of doing nothing.
   */
  setClasses(classes: number): void {
    const e = this.els;
    const regression = classes === 0;
    if (regression && e.timelineMode.value !== 'output') {
      e.timelineMode.value = 'output';
      this.showMap();
    }
    e.timelineMode.disabled = regression;
    e.timelineGif.disabled = regression;
    e.timelineWhy.hidden = !regression;
    e.timelineWhy.textContent = regression
      ? 'Regression: the map is the output, as live (no boundary or region maps), and no GIF (it animates class maps).'
      : '';
  }

  /** The live run reached `epoch`. */
  setLiveEpoch(epoch: number): void {
    if (epoch === this.liveEpoch) return;
    this.liveEpoch = epoch;
    if (!this.active) this.showPosition();
  }

  receive(view: CheckpointView): void {
    this.waiting = false;
    if (view.timeline !== this.timeline || !this.active) return;
    if (this.stale) {
      this.request();
      return;
    }
    if (this.serverMap) this.draw(view);
    const at = { index: view.index, t: view.t };
    this.host.show({ frame: view.frame, epoch: epochAt(this.checkpoints, at, this.trainSize) });
    (this.serverMap ? this.els.timelineMap : this.els.heatmap).dataset.scrubbed = this.els.timelineScrubber.value;
  }

  /** The server refused the request (the list changed under it, say): ask again if still scrubbing. */
  requestFailed(): void {
    this.waiting = false;
    if (this.active && this.stale) this.request();
  }

  receiveGif({ gif, frames }: TimelineGif): void {
    const e = this.els;
    if (this.gifUrl) URL.revokeObjectURL(this.gifUrl);
    this.gifUrl = URL.createObjectURL(new Blob([gif.slice()], { type: 'image/gif' }));
    e.timelineGifLink.href = this.gifUrl;
    e.timelineGifLink.textContent = `timeline.gif (${frames} frames, ${Math.ceil(gif.length / 1024)} KB)`;
    e.timelineGifLink.hidden = false;
    e.timelineGif.disabled = false;
    e.timelineGifLink.click();
  }

  gifFailed(): void {
    this.els.timelineGif.disabled = false;
  }

  /** Back to the live run: its map, network and chart. */
  leave(): void {
    this.pause();
    if (!this.active) return;
    this.active = false;
    this.stale = false;
    this.showMap();
    this.els.heatmap.dataset.scrubbed = '';
    this.els.timelineLive.disabled = true;
    this.setRange(positionCount(this.checkpoints.length, this.factor) - 1);
    this.host.show(null);
  }

  private scrub(): void {
    this.active = true;
    this.showMap();
    this.els.timelineLive.disabled = false;
    this.showPosition();
    this.request();
  }

  private play(): void {
    const e = this.els;
    const last = positionCount(this.checkpoints.length, this.factor) - 1;
    if (Number(e.timelineScrubber.value) >= last) e.timelineScrubber.value = '0';
    this.scrub();
    this.playTimer = setInterval(() => {
      const next = Number(e.timelineScrubber.value) + 1;
      if (next > positionCount(this.checkpoints.length, this.factor) - 1) return this.pause();
      e.timelineScrubber.value = String(next);
      this.scrub();
    }, 1000 / Number(e.timelineSpeed.value));
    e.timelinePlay.textContent = 'Pause';
  }

  private pause(): void {
    if (this.playTimer) clearInterval(this.playTimer);
    this.playTimer = null;
    this.els.timelinePlay.textContent = 'Play';
  }

  /** Asks for the scrubber's position, unless a request is out: then its reply asks again. */
  private request(): void {
    if (this.waiting) {
      this.stale = true;
      return;
    }
    const p = this.position();
    this.waiting = true;
    this.stale = false;
    this.host.send({ type: 'checkpoint', index: p.index, t: p.t, ...this.style() });
  }

  private exportGif(): void {
    this.els.timelineGif.disabled = true;
    const frameMs = Math.round(1000 / Number(this.els.timelineSpeed.value));
    this.host.send({ type: 'export_gif', interp_factor: this.factor, frame_ms: frameMs, ...this.style() });
  }

  /** The map is the server's (boundary, region), not the live output's colours. */
  private get serverMap(): boolean {
    return this.els.timelineMode.value !== 'output';
  }

  /** The live heatmap, or (scrubbing a server map) the server's canvas in its place, its legend said in words. */
  private showMap(): void {
    const e = this.els;
    const server = this.active && this.serverMap;
    e.timelineMap.hidden = !server;
    e.heatmap.hidden = server;
    // The note takes the live legend's place, in no more room than it had.
    if (server && !e.scaleLegend.style.minHeight) e.scaleLegend.style.minHeight = `${e.scaleLegend.offsetHeight}px`;
    for (const child of Array.from(e.scaleLegend.children) as HTMLElement[]) child.hidden = server !== (child === e.timelineNote);
    e.timelineNote.textContent = server
      ? e.timelineMode.value === 'boundary'
        ? 'boundary map (netlens render): bright is sure, dark bands are where classes meet'
        : 'region map (as netlens render): each class in its own colour'
      : '';
  }

  private style(): { interp: Interpolation; mode: MapMode } {
    const mode = this.serverMap ? (this.els.timelineMode.value as MapMode) : 'boundary'; // "output" reads the frame's own output
    return { interp: this.els.timelineMethod.value as Interpolation, mode };
  }

  private position(): Position {
    return positionAt(Number(this.els.timelineScrubber.value), this.factor);
  }

  private setRange(value: number): void {
    const s = this.els.timelineScrubber;
    const last = Math.max(0, positionCount(this.checkpoints.length, this.factor) - 1);
    s.max = String(last);
    s.value = String(Math.min(Math.max(0, value), last));
    s.disabled = this.checkpoints.length < 2;
    this.showPosition();
  }

  private showPosition(): void {
    const n = this.checkpoints.length;
    const p = this.position();
    const live = `epoch ${(this.liveEpoch ?? 0).toLocaleString('en-US')} · live`;
    this.els.timelinePosition.textContent = !n
      ? 'no checkpoints yet'
      : this.active
        ? formatPosition(epochAt(this.checkpoints, p, this.trainSize), p.index, n)
        : `${live} · ${n} checkpoint${n === 1 ? '' : 's'}`;
  }

  private draw(view: CheckpointView): void {
    const canvas = this.els.timelineMap;
    // A regression run has no class map: its output is drawn as the live heatmap draws it.
    const out = view.frame.output;
    const [w, h] = view.width ? [view.width, view.height] : [out.width, out.height];
    const pixels = view.width ? view.rgba : gridToRGBA(out.values, w, h);
    if (canvas.width !== w || canvas.height !== h) [canvas.width, canvas.height] = [w, h];
    canvas.getContext('2d')!.putImageData(new ImageData(new Uint8ClampedArray(pixels), w, h), 0, 0);
  }
}
