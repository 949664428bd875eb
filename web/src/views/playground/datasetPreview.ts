// A data set's thumbnail: its preview points as dots, coloured by label, on a small canvas.

import { cssClassColor, cssColorOf } from '../../lib/colorScale';
import type { Point } from '../../lib/wire';

/** Draws points of the [-6, 6]² domain on a square canvas of `sizePx`; labels are class indices when classes > 2. */
export function drawDatasetPreview(canvas: HTMLCanvasElement, points: Point[], sizePx: number, classes = 2): void {
  canvas.width = canvas.height = sizePx;
  const ctx = canvas.getContext('2d');
  if (!ctx) return;
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, sizePx, sizePx);
  const scale = sizePx / 12;
  for (const [x, y, label] of points) {
    ctx.fillStyle = classes > 2 ? cssClassColor(label) : cssColorOf(label);
    ctx.fillRect((x + 6) * scale - 1, (6 - y) * scale - 1, 2, 2);
  }
}
