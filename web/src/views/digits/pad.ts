// The drawing pad: 28 × 28 cells drawn large. Left button draws, right button erases; onChange
// fires (at most once per animation frame) with the pad's values whenever they change.

import { PAD_SIZE, emptyPad, stamp, strokeSegment, type Brush } from './brush';

export class DrawingPad {
  readonly canvas: HTMLCanvasElement;
  values = emptyPad();
  brush: Brush = { radius: 1.6, strength: 0.9 };
  onChange: (values: Float32Array) => void = () => {};
  private last: [number, number] | null = null;
  private erasing = false;
  private pending = false;

  constructor(host: HTMLElement, size = 280) {
    this.canvas = document.createElement('canvas');
    this.canvas.id = 'pad';
    this.canvas.width = size;
    this.canvas.height = size;
    host.appendChild(this.canvas);
    this.canvas.addEventListener('contextmenu', (e) => e.preventDefault());
    this.canvas.addEventListener('mousedown', (e) => {
      this.erasing = e.button === 2;
      this.last = this.toPad(e);
      stamp(this.values, this.last[0], this.last[1], this.brush, this.erasing);
      this.changed();
    });
    window.addEventListener('mousemove', (e) => {
      if (!this.last) return;
      const p = this.toPad(e);
      strokeSegment(this.values, this.last[0], this.last[1], p[0], p[1], this.brush, this.erasing);
      this.last = p;
      this.changed();
    });
    window.addEventListener('mouseup', () => (this.last = null));
    this.draw();
  }

  clear(): void {
    this.values = emptyPad();
    this.changed();
  }

  /** Shows an image (a test sample, 28 × 28 values in [0, 1]) and sends it on. */
  load(values: ArrayLike<number>): void {
    this.values = Float32Array.from(values);
    this.changed();
  }

  /** Shows an image on the pad without sending it (it is what the network already sees). */
  show(values: ArrayLike<number>): void {
    this.values = Float32Array.from(values);
    this.draw();
  }

  empty(): boolean {
    return !this.values.some((v) => v > 0);
  }

  private toPad(e: MouseEvent): [number, number] {
    const r = this.canvas.getBoundingClientRect();
    return [((e.clientX - r.left) / r.width) * PAD_SIZE, ((e.clientY - r.top) / r.height) * PAD_SIZE];
  }

  private changed(): void {
    this.draw();
    if (this.pending) return;
    this.pending = true;
    requestAnimationFrame(() => {
      this.pending = false;
      this.onChange(this.values);
    });
  }

  private draw(): void {
    const ctx = this.canvas.getContext('2d')!;
    const cell = this.canvas.width / PAD_SIZE;
    ctx.fillStyle = '#000';
    ctx.fillRect(0, 0, this.canvas.width, this.canvas.height);
    for (let i = 0; i < this.values.length; i++) {
      const v = Math.round(255 * this.values[i]);
      if (v === 0) continue;
      ctx.fillStyle = `rgb(${v}, ${v}, ${v})`;
      ctx.fillRect((i % PAD_SIZE) * cell, Math.floor(i / PAD_SIZE) * cell, Math.ceil(cell), Math.ceil(cell));
    }
  }
}
