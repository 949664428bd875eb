// A dense unit's incoming weights on the diverging scale: as images (one per input channel) when
// the layer's input is a flattened (C, H, W) map, else as a strip of bars (height |w|, colour its
// sign). Hovering a weight writes its input and value below the picture.

import { colorOf } from '../../lib/colorScale';
import type { Tensor } from '../../lib/wire';
import { drawSigned, makeCanvas, slice } from './tiles';

function hoverable(canvas: HTMLCanvasElement, readout: HTMLElement, at: (x: number, y: number) => string): HTMLCanvasElement {
  canvas.addEventListener('mousemove', (e) => {
    const r = canvas.getBoundingClientRect();
    const x = Math.min(canvas.width - 1, Math.floor(((e.clientX - r.left) / r.width) * canvas.width));
    const y = Math.min(canvas.height - 1, Math.floor(((e.clientY - r.top) / r.height) * canvas.height));
    readout.textContent = at(x, y);
  });
  return canvas;
}

const STRIP_HEIGHT = 24;

/** `scale`: the colour scale's end (±scale). */
export function drawDenseWeights(weights: Tensor, scale: number): HTMLElement {
  const host = document.createElement('div');
  host.className = 'dense-weights';
  host.id = 'dense-weights';
  host.dataset.scale = String(scale);
  const readout = document.createElement('div');
  readout.className = 'weight-hover';
  readout.id = 'weight-hover';
  readout.textContent = 'hover a weight for its value';
  const v = weights.values;
  if (weights.shape.length === 3) {
    const [c, h, w] = weights.shape;
    host.dataset.layout = 'image';
    for (let ch = 0; ch < c; ch++) {
      const values = slice(v, ch, h * w);
      const canvas = drawSigned(makeCanvas(w, h, 'tile weight-image'), values, w, h, scale);
      canvas.dataset.channel = String(ch);
      host.append(hoverable(canvas, readout, (x, y) => `in ${ch} (${y}, ${x}): ${values[y * w + x].toFixed(4)}`));
    }
  } else {
    const n = v.length;
    host.dataset.layout = 'strip';
    const canvas = makeCanvas(n, STRIP_HEIGHT, 'weight-strip');
    const ctx = canvas.getContext('2d')!;
    ctx.fillStyle = '#f4f4f4';
    ctx.fillRect(0, 0, n, STRIP_HEIGHT);
    for (let i = 0; i < n; i++) {
      const [r, g, b] = colorOf(scale > 0 ? v[i] / scale : 0);
      const height = Math.max(1, Math.round((STRIP_HEIGHT * Math.min(1, Math.abs(v[i]) / (scale || 1)))));
      ctx.fillStyle = `rgb(${r}, ${g}, ${b})`;
      ctx.fillRect(i, STRIP_HEIGHT - height, 1, height);
    }
    host.append(hoverable(canvas, readout, (x) => `in ${x}: ${v[x].toFixed(4)}`));
  }
  host.append(readout);
  return host;
}
