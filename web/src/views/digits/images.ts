// Small images drawn with the shared colour scale: weights, kernels, input patches.

import { colorOf } from '../../lib/colorScale';

/** A canvas of w × h values, each value / scale coloured (orange negative, blue positive). */
export function valueImage(values: ArrayLike<number>, w: number, h: number, pixel = 6, gray = false): HTMLCanvasElement {
  const canvas = document.createElement('canvas');
  canvas.width = w * pixel;
  canvas.height = h * pixel;
  const ctx = canvas.getContext('2d')!;
  let scale = 1e-6;
  for (let i = 0; i < w * h; i++) scale = Math.max(scale, Math.abs(values[i]));
  for (let i = 0; i < w * h; i++) {
    const v = values[i];
    const [r, g, b] = gray ? [255 * v, 255 * v, 255 * v] : colorOf(v / scale);
    ctx.fillStyle = `rgb(${r}, ${g}, ${b})`;
    ctx.fillRect((i % w) * pixel, Math.floor(i / w) * pixel, pixel, pixel);
  }
  return canvas;
}
