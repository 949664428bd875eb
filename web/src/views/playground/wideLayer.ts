// A wide hidden layer (more than the graph shows, up to 1000 units and beyond) as a grid of
// unit heatmaps on one canvas, strongest first by the norm of each unit's outgoing weights, with
// pruning: the k weakest units, by outgoing weight or by mean |activation|. Pruned units stay
// in the grid, greyed.

import { showTooltip } from '../../lib/dom';
import type { LayerShape } from '../../lib/wire';
import type { Frame } from './frames';
import { paintCodes } from '../../lib/unitMap';
import { nodeIndex, outgoingNorms, paramIndex } from './networkModel';

const GAP = 2; // px between tiles, at the tile's own resolution
const COLUMNS = 25;

export interface WideLayerCallbacks {
  prune(layer: number, count: number, by: 'weight' | 'activation'): void;
}

/** Units in display order: larger outgoing norm first, ties by index. */
export function strongestFirst(norms: Float32Array): number[] {
  return [...norms.keys()].sort((a, b) => norms[b] - norms[a] || a - b);
}

export class WideLayer {
  private readonly root: HTMLElement;
  private readonly title: HTMLElement;
  private readonly canvas: HTMLCanvasElement;
  private readonly tooltip: HTMLElement;
  private layer = -1;
  private shapes: LayerShape[] = [];
  private features = 0;
  private hiddenUnits: number[] = [];
  private order: number[] = [];
  private norms: Float32Array = new Float32Array(0);
  private pruned = new Set<number>();
  private tile = 0;
  private image: ImageData | null = null;

  constructor(
    container: HTMLElement,
    private readonly callbacks: WideLayerCallbacks,
  ) {
    this.root = document.createElement('section');
    this.root.className = 'wide-layer';
    this.root.hidden = true;
    this.root.innerHTML = `
      <h3 class="wide-title"></h3>
      <div class="prune-controls" data-control="prune">
        <label>Prune the <input id="prune-count" type="number" min="1" value="100"> weakest units by
          <select id="prune-by">
            <option value="weight">outgoing weight</option>
            <option value="activation">mean |activation|</option>
          </select></label>
        <button type="button" id="prune">Prune</button>
        <span id="pruned-count" class="muted"></span>
      </div>
      <div class="wide-scroll"><canvas id="wide-grid"></canvas><div class="tooltip" hidden></div></div>`;
    container.append(this.root);
    this.title = this.root.querySelector('.wide-title')!;
    this.canvas = this.root.querySelector('#wide-grid')!;
    this.tooltip = this.root.querySelector('.tooltip')!;
    const count = this.root.querySelector<HTMLInputElement>('#prune-count')!;
    const by = this.root.querySelector<HTMLSelectElement>('#prune-by')!;
    this.root.querySelector('#prune')!.addEventListener('click', () => {
      const k = Math.round(Number(count.value));
      if (Number.isFinite(k) && k >= 1) this.callbacks.prune(this.layer, k, by.value as 'weight' | 'activation');
    });
    this.canvas.addEventListener('mousemove', (e) => this.hover(e));
    this.canvas.addEventListener('mouseleave', () => (this.tooltip.hidden = true));
  }

  /** Shows the first hidden layer wider than `maxGraphUnits`, or hides the grid. */
  setStructure(features: number, hiddenUnits: number[], shapes: LayerShape[], maxGraphUnits: number): void {
    this.layer = hiddenUnits.findIndex((u) => u > maxGraphUnits);
    this.root.hidden = this.layer < 0;
    this.features = features;
    this.hiddenUnits = hiddenUnits;
    this.shapes = shapes;
    this.image = null;
    if (this.layer >= 0) {
      this.title.textContent = `Hidden layer ${this.layer + 1}: ${hiddenUnits[this.layer]} units, strongest first`;
    }
  }

  update(frame: Frame, pruned: number[][]): void {
    if (this.layer < 0) return;
    const index = paramIndex(this.shapes);
    if (frame.params.length !== index.total) return;
    const units = this.hiddenUnits[this.layer];
    this.norms = outgoingNorms(frame.params, index, this.layer + 1, this.shapes[this.layer + 1]);
    this.order = strongestFirst(this.norms);
    this.pruned = new Set(pruned[this.layer] ?? []);
    const size = frame.unitGrid;
    this.tile = size + GAP;
    const rows = Math.ceil(units / COLUMNS);
    const width = COLUMNS * this.tile;
    const height = rows * this.tile;
    if (!this.image || this.image.width !== width || this.image.height !== height) {
      this.canvas.width = width;
      this.canvas.height = height;
      this.canvas.style.width = `${width * 1.6}px`;
      this.image = new ImageData(width, height);
      this.image.data.fill(255);
    }
    const node = nodeIndex(this.features, this.hiddenUnits);
    this.order.forEach((unit, slot) => {
      const n = node(this.layer + 1, unit);
      const codes = frame.units.subarray(n * size * size, (n + 1) * size * size);
      paintCodes(codes, size, this.image!, (slot % COLUMNS) * this.tile, Math.floor(slot / COLUMNS) * this.tile, this.pruned.has(unit));
    });
    this.canvas.getContext('2d')?.putImageData(this.image, 0, 0);
    this.canvas.dataset.pruned = String(this.pruned.size);
    this.root.querySelector('#pruned-count')!.textContent = this.pruned.size ? `${this.pruned.size} pruned` : '';
  }

  private hover(e: MouseEvent): void {
    if (!this.tile) return;
    const box = this.canvas.getBoundingClientRect();
    const scale = this.canvas.width / box.width;
    const slot = Math.floor(((e.clientY - box.top) * scale) / this.tile) * COLUMNS + Math.floor(((e.clientX - box.left) * scale) / this.tile);
    const unit = this.order[slot];
    if (unit === undefined) {
      this.tooltip.hidden = true;
      return;
    }
    showTooltip(this.tooltip, `unit ${unit} · outgoing |w| ${this.norms[unit].toFixed(3)}${this.pruned.has(unit) ? ' · pruned' : ''}`, e, box);
  }
}
