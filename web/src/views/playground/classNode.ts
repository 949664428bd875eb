// An output node of a k-class run: its class's probability over the input plane (the frame's
// class map), from white to the class's colour, as the large panel shows it when hovered.

import { classProbabilityToRGBA, type Heatmap } from '../../lib/heatmap';

export function drawClassNode(canvas: HTMLCanvasElement, output: Heatmap, classIndex: number): void {
  const { width, height } = output;
  if (canvas.width !== width || canvas.height !== height) [canvas.width, canvas.height] = [width, height];
  const ctx = canvas.getContext('2d');
  if (!ctx || classIndex >= output.maps) return;
  const n = width * height;
  const image = ctx.createImageData(width, height);
  classProbabilityToRGBA(output.values.subarray(classIndex * n, (classIndex + 1) * n), classIndex, n, image.data);
  ctx.putImageData(image, 0, 0);
}
