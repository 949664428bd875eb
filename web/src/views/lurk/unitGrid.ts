// A layer's units as a grid: each unit's top-1 image (and, for the first conv layer, its kernel
// as a small value grid, and its dream once the layer's dreams are asked for), in the chosen
// order; the selected unit is marked.

import type { Tensor } from '../../lib/wire';
import type { LayerMessage } from './messages';
import { drawGray, kernelGrid, makeCanvas, maxAbs, slice } from './tiles';
import { preferredClass, selectivity } from './unitOrder';

export function drawUnitGrid(
  host: HTMLElement,
  layer: LayerMessage,
  order: number[],
  tops: Tensor,
  kernels: Tensor | undefined,
  selected: number,
  classes: string[],
  pick: (unit: number) => void,
  weightScale: (own: number) => number,
): void {
  const [, h, w] = tops.shape;
  host.classList.toggle('with-kernels', kernels !== undefined);
  host.replaceChildren(
    ...order.map((u) => {
      const info = layer.units[u];
      const tile = document.createElement('button');
      tile.className = 'unit-tile';
      tile.dataset.unit = String(u);
      if (u === selected) tile.setAttribute('aria-current', 'true');
      const canvas = drawGray(makeCanvas(w, h), slice(tops.values, u, h * w), w, h);
      canvas.dataset.image = String(info.top?.image ?? '');
      tile.append(canvas);
      if (kernels && kernels.shape[1] === 1) {
        const f = kernels.shape[2];
        const kernel = slice(kernels.values, u, f * f);
        tile.append(kernelGrid(kernel, f, weightScale(maxAbs(kernel))));
      }
      const label = document.createElement('span');
      label.className = 'unit-label';
      label.textContent = `${u}`;
      tile.append(label);
      tile.title = `unit ${u}: mean ${info.mean.toFixed(3)}, selectivity ${selectivity(info.class_mean).toFixed(2)}, prefers ${classes[preferredClass(info.class_mean)] ?? '?'}`;
      tile.addEventListener('click', () => pick(u));
      return tile;
    }),
  );
}

/** A unit's dream beside its top-1 image in its tile (from the dreams of a whole layer). */
export function drawTileDream(grid: HTMLElement, unit: number, image: Tensor): void {
  const tile = grid.querySelector<HTMLElement>(`.unit-tile[data-unit="${unit}"]`);
  if (!tile) return;
  const [h, w] = image.shape;
  const canvas = drawGray(makeCanvas(w, h, 'tile tile-dream'), image.values, w, h);
  canvas.title = `unit ${unit}'s dream`;
  tile.querySelector('.tile-dream')?.remove();
  tile.insertBefore(canvas, tile.querySelector('.unit-label'));
}
