// Small pictures of the Lurk view, drawn into canvases at one canvas pixel per image pixel and
// enlarged by CSS (image-rendering: pixelated): gray images, signed maps on the diverging
// scale, attribution heat maps, receptive-field boxes and crops. Pure value-to-colour helpers
// are exported for the tests.

import { colorOf, type RGB } from '../../lib/colorScale';
import type { Box } from './messages';

/** The values of image `index` of a stack of (n, h, w) values. */
export function slice(values: Float32Array, index: number, size: number): Float32Array {
  return values.subarray(index * size, (index + 1) * size);
}

/** "Hot": black, red, yellow, white as t goes 0..1 (luminance rises with t, so a test can read mass). */
export function hotColor(t: number): RGB {
  const v = Math.max(0, Math.min(1, t)) * 3;
  return [Math.round(255 * Math.min(1, v)), Math.round(255 * Math.min(1, Math.max(0, v - 1))), Math.round(255 * Math.min(1, Math.max(0, v - 2)))];
}

/** A map's values as 0..1 heat: |v| over the largest |v| (a CAM is never negative). */
export function heat(map: ArrayLike<number>): Float32Array {
  let max = 0;
  for (let i = 0; i < map.length; i++) max = Math.max(max, Math.abs(map[i]));
  return Float32Array.from(map, (v) => (max > 0 ? Math.abs(v) / max : 0));
}

/** The largest |v|: a signed map's own scale. */
export function maxAbs(values: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < values.length; i++) m = Math.max(m, Math.abs(values[i]));
  return m;
}

export function makeCanvas(w: number, h: number, className = 'tile'): HTMLCanvasElement {
  const c = document.createElement('canvas');
  c.width = w;
  c.height = h;
  c.className = className;
  return c;
}

function paint(canvas: HTMLCanvasElement, w: number, h: number, color: (i: number) => RGB): HTMLCanvasElement {
  canvas.width = w;
  canvas.height = h;
  const ctx = canvas.getContext('2d')!;
  const img = ctx.createImageData(w, h);
  for (let i = 0; i < w * h; i++) {
    const [r, g, b] = color(i);
    img.data.set([r, g, b, 255], 4 * i);
  }
  ctx.putImageData(img, 0, 0);
  return canvas;
}

/** A gray image, values in [0, 1]. */
export function drawGray(canvas: HTMLCanvasElement, values: ArrayLike<number>, w: number, h: number): HTMLCanvasElement {
  return paint(canvas, w, h, (i) => {
    const v = Math.round(255 * Math.max(0, Math.min(1, values[i])));
    return [v, v, v];
  });
}

/** Signed values on the diverging scale, ±scale at its ends (default: the values' own largest |v|). */
export function drawSigned(canvas: HTMLCanvasElement, values: ArrayLike<number>, w: number, h: number, scale = maxAbs(values)): HTMLCanvasElement {
  return paint(canvas, w, h, (i) => colorOf(scale > 0 ? values[i] / scale : 0));
}

/** A heat map alone, on black. */
export function drawHeat(canvas: HTMLCanvasElement, map: ArrayLike<number>, w: number, h: number): HTMLCanvasElement {
  const t = heat(map);
  return paint(canvas, w, h, (i) => hotColor(t[i]));
}

/** The input in gray with the heat map over it at `opacity` (0..1), weighted by the heat itself. */
export function drawOverlay(canvas: HTMLCanvasElement, input: ArrayLike<number>, map: ArrayLike<number>, w: number, h: number, opacity: number): HTMLCanvasElement {
  const t = heat(map);
  return paint(canvas, w, h, (i) => {
    const g = 255 * Math.max(0, Math.min(1, input[i]));
    const [r, gg, b] = hotColor(t[i]);
    const a = opacity * Math.min(1, 0.25 + t[i]);
    return [Math.round(g * (1 - a) + r * a), Math.round(g * (1 - a) + gg * a), Math.round(g * (1 - a) + b * a)];
  });
}

/** The values inside a box of an (h, w) image, as a (box height, box width) image. */
export function crop(values: ArrayLike<number>, w: number, box: Box): Float32Array {
  const [y0, x0, y1, x1] = box;
  const out = new Float32Array((y1 - y0) * (x1 - x0));
  for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) out[(y - y0) * (x1 - x0) + (x - x0)] = values[y * w + x];
  return out;
}

/**
 * A picture enlarged in a wrapper with the box drawn over it in CSS (so it stays one image
 * pixel exact at any size): the wrapper holds the canvas and a positioned outline.
 */
export function withBox(canvas: HTMLCanvasElement, box: Box, w: number, h: number): HTMLElement {
  const wrap = document.createElement('div');
  wrap.className = 'boxed';
  const [y0, x0, y1, x1] = box;
  const outline = document.createElement('div');
  outline.className = 'field-box';
  outline.style.left = `${(100 * x0) / w}%`;
  outline.style.top = `${(100 * y0) / h}%`;
  outline.style.width = `${(100 * (x1 - x0)) / w}%`;
  outline.style.height = `${(100 * (y1 - y0)) / h}%`;
  wrap.append(canvas, outline);
  return wrap;
}

/** A kernel as a small grid of cells on the diverging scale with its values written in. */
export function kernelGrid(values: ArrayLike<number>, size: number, scale: number): HTMLElement {
  const grid = document.createElement('div');
  grid.className = 'kernel';
  grid.style.gridTemplateColumns = `repeat(${size}, 1fr)`;
  for (let i = 0; i < size * size; i++) {
    const cell = document.createElement('span');
    const v = values[i];
    const [r, g, b] = colorOf(scale > 0 ? v / scale : 0);
    cell.style.background = `rgb(${r}, ${g}, ${b})`;
    cell.style.color = Math.abs(v) > 0.6 * scale ? '#fff' : '#222';
    cell.textContent = v.toFixed(2).replace(/^(-?)0\./, '$1.');
    grid.append(cell);
  }
  return grid;
}
