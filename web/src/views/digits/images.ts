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

/** Image files (PNG, JPEG, ...) to grayscale values in [0, 1], at most 112 pixels a side. */
export async function fileToGray(file: File): Promise<{ width: number; height: number; pixels: number[] }> {
  const bitmap = await createImageBitmap(file);
  const scale = Math.min(1, 112 / Math.max(bitmap.width, bitmap.height));
  const width = Math.max(1, Math.round(bitmap.width * scale));
  const height = Math.max(1, Math.round(bitmap.height * scale));
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  const ctx = canvas.getContext('2d')!;
  ctx.fillStyle = '#fff'; // transparency reads as paper
  ctx.fillRect(0, 0, width, height);
  ctx.drawImage(bitmap, 0, 0, width, height);
  const data = ctx.getImageData(0, 0, width, height).data;
  const pixels: number[] = [];
  for (let i = 0; i < data.length; i += 4) pixels.push((0.299 * data[i] + 0.587 * data[i + 1] + 0.114 * data[i + 2]) / 255);
  return { width, height, pixels };
}
