// The network graph: the feature column, each hidden layer as a column of unit thumbnails, the
// output, and the links between them coloured by the weight's sign and drawn thicker by its
// magnitude. Features toggle on click; layers and units are added and removed with + and −;
// hovering a link or a unit shows its weight or bias, and clicking edits it. A layer wider than
// the graph can show (more than MAX_GRAPH_UNITS) is drawn as one block, and its units appear in
// the wide-layer grid instead.

import { cssColorOf } from '../../lib/colorScale';
import { showTooltip } from '../../lib/dom';
import type { LayerShape } from '../../lib/wire';
import type { Frame } from './frames';
import { drawUnitCanvas } from '../../lib/unitMap';
import { nodeIndex, paramIndex, type ParamIndex } from './networkModel';

export const MAX_GRAPH_UNITS = 32;
export const MAX_HIDDEN_LAYERS = 10;
const COLUMN_GAP = 100;
const TOP = 56; // room for the layer headers
const SVG_NS = 'http://www.w3.org/2000/svg';

export interface HiddenLayerSpec {
  units: number;
  activation: string;
}

export interface GraphCallbacks {
  toggleFeature(feature: string): void;
  /** A value the graph's controls refuse, in words. */
  problem(message: string): void;
  setHiddenLayers(layers: HiddenLayerSpec[]): void;
  /** input −1: the unit's bias. */
  editParam(layer: number, unit: number, input: number, value: number): void;
}

interface Column {
  x: number;
  size: number; // node size in px
  units: number;
  wide: boolean;
  nodes: HTMLElement[];
  canvases: HTMLCanvasElement[];
  y: (unit: number) => number;
}

interface Link {
  layer: number; // weight layer
  input: number;
  unit: number;
  path: SVGPathElement;
}

function nodeSize(units: number): number {
  return units <= 8 ? 36 : units <= 16 ? 28 : 20;
}

/** TensorFlow Playground's link width: |w| over [0, 5] to [1, 10] px, clamped. */
export function linkWidth(weight: number): number {
  return 1 + (9 * Math.min(Math.abs(weight), 5)) / 5;
}

export class NetworkGraph {
  private readonly header: HTMLElement;
  private readonly graph: HTMLElement;
  private readonly svg: SVGSVGElement;
  private readonly tooltip: HTMLElement;
  /** The hovered weight's or bias's tooltip text, read again from each new frame. */
  private hovered: (() => string | undefined) | null = null;
  private columns: Column[] = [];
  private links: Link[] = [];
  private index: ParamIndex | null = null;
  private hidden: HiddenLayerSpec[] = [];
  private activations: string[] = [];
  private params: Float32Array | null = null;
  private editor: HTMLInputElement | null = null;

  constructor(
    root: HTMLElement,
    private readonly callbacks: GraphCallbacks,
  ) {
    root.innerHTML = '';
    this.header = document.createElement('div');
    this.header.className = 'graph-header';
    this.graph = document.createElement('div');
    this.graph.className = 'graph';
    this.svg = document.createElementNS(SVG_NS, 'svg');
    this.svg.classList.add('links');
    this.tooltip = document.createElement('div');
    this.tooltip.className = 'tooltip';
    this.tooltip.hidden = true;
    this.graph.append(this.svg, this.tooltip);
    root.append(this.header, this.graph);
  }

  /** The activations the layer selects offer (from the server's list). */
  setActivations(names: string[]): void {
    this.activations = names;
  }

  /**
   * Rebuilds the graph for a run: its features (each drawn from its map, used or not), hidden
   * layers and weight-layer shapes.
   */
  setStructure(
    featureMaps: { names: string[]; maps: Record<string, Uint8Array>; size: number },
    active: string[],
    hidden: HiddenLayerSpec[],
    layers: LayerShape[],
  ): void {
    const allFeatures = featureMaps.names;
    this.closeEditor();
    this.hidden = hidden;
    this.index = paramIndex(layers);
    this.params = null;
    this.buildHeader();
    for (const el of Array.from(this.graph.querySelectorAll('.node, .layer-head, .wide-block'))) el.remove();
    this.svg.innerHTML = '';
    this.columns = [];
    this.links = [];

    // Column 0: every feature, the active ones connected.
    const counts = [allFeatures.length, ...hidden.map((l) => l.units), 1];
    let height = 0;
    counts.forEach((units, c) => {
      const wide = c > 0 && c < counts.length - 1 && units > MAX_GRAPH_UNITS;
      const size = wide ? 36 : nodeSize(c === 0 ? 7 : units);
      const step = size + (size >= 28 ? 10 : 6);
      const x = c * (COLUMN_GAP + 36);
      const column: Column = { x, size, units, wide, nodes: [], canvases: [], y: (u) => TOP + u * step };
      height = Math.max(height, TOP + (wide ? 8 * step : units * step));
      this.columns.push(column);
    });
    const featureColumn = this.columns[0];
    allFeatures.forEach((name, u) => {
      const on = active.includes(name);
      const node = this.addNode(featureColumn, u, on ? `f-${name}` : '');
      node.dataset.feature = name;
      node.classList.add('feature', on ? 'on' : 'off');
      if (!on) node.dataset.control = 'features'; // features_hide: only the chosen inputs show
      node.title = on ? `${name}: click to turn off` : `${name}: click to use as an input`;
      const label = document.createElement('span');
      label.className = 'feature-label';
      label.textContent = name;
      node.append(label);
      node.addEventListener('click', () => this.callbacks.toggleFeature(name));
      const map = featureMaps.maps[name];
      if (map) drawUnitCanvas(featureColumn.canvases[u], map, featureMaps.size);
    });
    for (let c = 1; c < this.columns.length; c++) {
      const column = this.columns[c];
      const layer = c - 1; // the weight layer feeding this column
      if (column.wide) {
        const block = document.createElement('div');
        block.className = 'wide-block';
        block.style.left = `${column.x}px`;
        block.style.top = `${TOP}px`;
        block.style.height = `${8 * (column.size + 10) - 10}px`;
        block.textContent = `${column.units} units: see the grid below`;
        this.graph.append(block);
        continue;
      }
      for (let u = 0; u < column.units; u++) {
        const isOutput = c === this.columns.length - 1;
        const node = this.addNode(column, u, isOutput ? 'output' : `h${layer}-${u}`);
        node.addEventListener('mouseenter', (e) => this.hoverBias(layer, isOutput ? 0 : u, e));
        node.addEventListener('mouseleave', () => this.hideTooltip());
        node.addEventListener('click', (e) => this.openEditor(layer, isOutput ? 0 : u, -1, e));
      }
    }
    this.buildLayerHeads();
    this.buildLinks(active.map((f) => allFeatures.indexOf(f)));
    const width = (this.columns.length - 1) * (COLUMN_GAP + 36) + 40;
    this.graph.style.width = `${width}px`;
    this.graph.style.height = `${height}px`;
    this.svg.setAttribute('width', String(width));
    this.svg.setAttribute('height', String(height));
  }

  /** Draws a frame: thumbnails, and link colours and widths from the weights. */
  update(frame: Frame, pruned: number[][]): void {
    this.params = frame.params;
    const text = this.hovered?.();
    if (text !== undefined && !this.tooltip.hidden) this.tooltip.textContent = text;
    if (!this.index || frame.params.length !== this.index.total) return; // a frame of another run
    // Feature maps never change: they were drawn with the structure.
    const node = nodeIndex(this.activeFeatureColumns().length, this.hidden.map((l) => l.units));
    const size = frame.unitGrid;
    const mapOf = (n: number) => frame.units.subarray(n * size * size, (n + 1) * size * size);
    for (let c = 1; c < this.columns.length; c++) {
      const column = this.columns[c];
      if (column.wide) continue;
      const gone = new Set(pruned[c - 1] ?? []);
      for (let u = 0; u < column.units; u++) {
        const n = c === this.columns.length - 1 ? frame.nodes - 1 : node(c, u);
        drawUnitCanvas(column.canvases[u], mapOf(n), size, gone.has(u));
        column.nodes[u].classList.toggle('pruned', gone.has(u));
      }
    }
    for (const link of this.links) {
      const w = frame.params[this.index.weight(link.layer, link.input, link.unit)];
      link.path.setAttribute('stroke', cssColorOf(w));
      link.path.setAttribute('stroke-width', linkWidth(w).toFixed(2));
    }
  }

  private activeFeatureColumns(): number[] {
    return this.columns[0].nodes.map((n, u) => (n.classList.contains('on') ? u : -1)).filter((u) => u >= 0);
  }

  private addNode(column: Column, unit: number, id: string): HTMLElement {
    const node = document.createElement('div');
    node.className = 'node';
    if (id) node.dataset.node = id;
    node.style.left = `${column.x}px`;
    node.style.top = `${column.y(unit)}px`;
    node.style.width = node.style.height = `${column.size}px`;
    const canvas = document.createElement('canvas');
    node.append(canvas);
    this.graph.append(node);
    column.nodes.push(node);
    column.canvases.push(canvas);
    return node;
  }

  private buildHeader(): void {
    const n = this.hidden.length;
    this.header.innerHTML = '';
    const add = this.button('+', 'add a hidden layer', n >= MAX_HIDDEN_LAYERS, () =>
      this.callbacks.setHiddenLayers([...this.hidden, { units: 4, activation: this.hidden[n - 1]?.activation ?? 'tanh' }]),
    );
    add.id = 'add-layer';
    const remove = this.button('−', 'remove the last hidden layer', n === 0, () =>
      this.callbacks.setHiddenLayers(this.hidden.slice(0, -1)),
    );
    remove.id = 'remove-layer';
    // Classroom mode's hidden_layers_hide hides these (and each layer's +, − and units box), not the graph.
    for (const b of [add, remove]) b.dataset.control = 'hidden_layers';
    const label = document.createElement('span');
    label.id = 'layer-count';
    label.textContent = `${n} hidden layer${n === 1 ? '' : 's'}`;
    this.header.append(add, remove, label);
  }

  private buildLayerHeads(): void {
    this.hidden.forEach((layer, l) => {
      const head = document.createElement('div');
      head.className = 'layer-head';
      head.style.left = `${this.columns[l + 1].x - 30}px`;
      const set = (units: number, activation = layer.activation) =>
        this.callbacks.setHiddenLayers(this.hidden.map((h, i) => (i === l ? { units, activation } : h)));
      const plus = this.button('+', 'add a unit', layer.units >= 1024, () => set(layer.units + 1));
      plus.classList.add('add-unit');
      const minus = this.button('−', 'remove a unit', layer.units <= 1, () => set(layer.units - 1));
      minus.classList.add('remove-unit');
      const units = document.createElement('input');
      units.type = 'number';
      units.min = '1';
      units.max = '1024';
      units.value = String(layer.units);
      units.className = 'units-input';
      units.title = 'units in this layer (over 32: shown as a grid)';
      units.addEventListener('change', () => {
        const v = Number(units.value);
        if (units.value.trim() !== '' && Number.isInteger(v) && v >= 1 && v <= 1024) return set(v);
        const typed = units.value.trim() === '' ? 'an empty box' : `"${units.value}"`;
        this.callbacks.problem(`layer ${l + 1}'s units: ${typed} is not a whole number from 1 to 1024; the layer keeps ${layer.units}`);
        units.value = String(layer.units);
      });
      const select = document.createElement('select');
      select.className = 'layer-activation';
      select.title = 'this layer\'s activation';
      for (const name of this.activations.length ? this.activations : [layer.activation]) {
        select.append(new Option(name, name, false, name === layer.activation));
      }
      select.addEventListener('change', () => set(layer.units, select.value));
      for (const el of [plus, minus, units, select]) (el as HTMLElement).dataset.layer = String(l);
      for (const el of [plus, minus, units]) el.dataset.control = 'hidden_layers';
      head.append(plus, minus, units, select);
      this.graph.append(head);
    });
  }

  private buildLinks(activeFeatureRows: number[]): void {
    for (let c = 1; c < this.columns.length; c++) {
      const from = this.columns[c - 1];
      const to = this.columns[c];
      if (from.wide || to.wide) continue;
      const sources = c === 1 ? activeFeatureRows : [...Array(from.units).keys()];
      sources.forEach((row, input) => {
        for (let unit = 0; unit < to.units; unit++) {
          const path = document.createElementNS(SVG_NS, 'path');
          const x1 = from.x + from.size;
          const y1 = from.y(row) + from.size / 2;
          const x2 = to.x;
          const y2 = to.y(unit) + to.size / 2;
          const mx = (x1 + x2) / 2;
          path.setAttribute('d', `M${x1},${y1} C${mx},${y1} ${mx},${y2} ${x2},${y2}`);
          path.setAttribute('fill', 'none');
          path.dataset.link = `${c - 1}-${input}-${unit}`;
          const link: Link = { layer: c - 1, input, unit, path };
          path.addEventListener('mouseenter', (e) => this.hoverWeight(link, e));
          path.addEventListener('mouseleave', () => this.hideTooltip());
          path.addEventListener('click', (e) => this.openEditor(link.layer, link.unit, link.input, e));
          this.svg.append(path);
          this.links.push(link);
        }
      });
    }
  }

  private value(layer: number, unit: number, input: number): number | undefined {
    if (!this.params || !this.index) return undefined;
    return this.params[input < 0 ? this.index.bias(layer, unit) : this.index.weight(layer, input, unit)];
  }

  private hoverWeight(link: Link, e: MouseEvent): void {
    this.hoverParam(link.layer, link.unit, link.input, e);
  }

  private hoverBias(layer: number, unit: number, e: MouseEvent): void {
    this.hoverParam(layer, unit, -1, e);
  }

  /** The weight (input ≥ 0) or bias under the pointer; its text follows new frames (an edit) while shown. */
  private hoverParam(layer: number, unit: number, input: number, e: MouseEvent): void {
    this.hovered = () => {
      const v = this.value(layer, unit, input);
      return v === undefined ? undefined : `${input < 0 ? 'bias' : 'weight'} ${v.toFixed(3)} · click to edit`;
    };
    const text = this.hovered();
    if (text !== undefined) showTooltip(this.tooltip, text, e, this.graph.getBoundingClientRect());
  }

  private hideTooltip(): void {
    this.hovered = null;
    this.tooltip.hidden = true;
  }

  /** A number box at the mouse: Enter sets the weight or bias, Escape or leaving cancels. */
  private openEditor(layer: number, unit: number, input: number, e: MouseEvent): void {
    const current = this.value(layer, unit, input);
    if (current === undefined) return;
    this.closeEditor();
    const box = this.graph.getBoundingClientRect();
    const editor = document.createElement('input');
    editor.type = 'number';
    editor.step = '0.1';
    editor.className = 'param-editor';
    editor.value = current.toFixed(3);
    editor.setAttribute('aria-label', input < 0 ? 'bias' : 'weight');
    editor.style.left = `${e.clientX - box.left}px`;
    editor.style.top = `${e.clientY - box.top}px`;
    editor.addEventListener('keydown', (k) => {
      if (k.key === 'Enter') {
        const v = Number(editor.value);
        if (editor.value.trim() !== '' && Number.isFinite(v)) this.callbacks.editParam(layer, unit, input, v);
        this.closeEditor();
      } else if (k.key === 'Escape') {
        this.closeEditor();
      }
    });
    editor.addEventListener('blur', () => this.closeEditor());
    this.graph.append(editor);
    this.editor = editor;
    editor.focus();
    editor.select();
  }

  private closeEditor(): void {
    const editor = this.editor;
    this.editor = null;
    editor?.remove();
  }

  private button(text: string, title: string, disabled: boolean, onClick: () => void): HTMLButtonElement {
    const b = document.createElement('button');
    b.type = 'button';
    b.className = 'mini-button';
    b.textContent = text;
    b.title = title;
    b.setAttribute('aria-label', title);
    b.disabled = disabled;
    b.addEventListener('click', onClick);
    return b;
  }
}
