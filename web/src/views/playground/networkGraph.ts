// The network graph: the feature column, each hidden layer as a column of unit thumbnails, the
// output, and the links between them coloured by the weight's sign and drawn thicker by its
// magnitude. Features toggle on click; layers and units are added and removed with + and −;
// hovering a link or a unit shows its weight or bias, and clicking edits it. A layer wider than
// the graph can show (more than MAX_GRAPH_UNITS) is drawn as one block, and its units appear in
// the wide-layer grid instead. A run of k > 2 classes has an output node per class. Links whose
// weight is exactly 0 (L1's dead links) are drawn as absent, and the header counts the dead
// ones. Hovering a node shows its map in the large output panel (the page asks hoveredMap).
// The columns spread over the card's width (graphLayout), up to the spec's 10 hidden layers.

import { cssClassColor, cssColorOf } from '../../lib/colorScale';
import { showTooltip } from '../../lib/dom';
import type { Heatmap } from '../../lib/heatmap';
import type { LayerShape } from '../../lib/wire';
import type { Frame } from './frames';
import { decodeUnit, drawUnitCanvas } from '../../lib/unitMap';
import { drawClassNode } from './classNode';
import { LABEL_MARGIN, layoutGraph, WIDE_HEAD } from './graphLayout';
import { nodeIndex, paramIndex, type ParamIndex } from './networkModel';

export const MAX_GRAPH_UNITS = 32;
export const MAX_HIDDEN_LAYERS = 10;
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
  /** The pointer entered or left a node: the large output panel shows hoveredMap(). */
  hoverNode(): void;
}

interface FeatureMaps {
  names: string[];
  maps: Record<string, Uint8Array>;
  size: number;
}

/** The node under the pointer: a feature by name, a hidden unit, or an output class. */
type HoveredNode = { kind: 'feature'; name: string } | { kind: 'hidden'; column: number; unit: number } | { kind: 'class'; unit: number };

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

/** TensorFlow Playground's link width: |w| over [0, 5] to [1, 10] px, clamped. */
export function linkWidth(weight: number): number {
  return 1 + (9 * Math.min(Math.abs(weight), 5)) / 5;
}

export class NetworkGraph {
  private readonly header: HTMLElement;
  private readonly graph: HTMLElement;
  private readonly svg: SVGSVGElement;
  private readonly tooltip: HTMLElement;
  private readonly deadCount: HTMLElement;
  /** The hovered weight's or bias's tooltip text, read again from each new frame. */
  private hovered: (() => string | undefined) | null = null;
  private columns: Column[] = [];
  private links: Link[] = [];
  private index: ParamIndex | null = null;
  private hidden: HiddenLayerSpec[] = [];
  private activations: string[] = [];
  private params: Float32Array | null = null;
  private editor: HTMLInputElement | null = null;
  private featureMaps: FeatureMaps = { names: [], maps: {}, size: 0 };
  /** Output nodes: one, or one per class for k > 2 classes. */
  private outputs = 1;
  private hoveredNode: HoveredNode | null = null;
  /** The last structure and frame, laid out again when the card's width changes. */
  private structure: (() => void) | null = null;
  private lastUpdate: (() => void) | null = null;
  private laidOutWidth = 0;
  /** The size the graph is drawn at (graphLayout): pointer positions are divided by it. */
  private scale = 1;

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
    this.deadCount = document.createElement('span');
    this.deadCount.id = 'dead-links';
    this.deadCount.title = 'weights L1 regularization set to 0 for good (drawn as absent) until reset';
    root.append(this.header, this.graph);
    new ResizeObserver(() => {
      if (this.available() !== this.laidOutWidth) {
        this.structure?.();
        this.lastUpdate?.();
      }
    }).observe(root);
  }

  /** The width the columns may use: the card's inner width. */
  private available(): number {
    return (this.graph.parentElement?.clientWidth ?? 0) || 600;
  }

  /** The activations the layer selects offer (from the server's list). */
  setActivations(names: string[]): void {
    this.activations = names;
  }

  /**
   * Rebuilds the graph for a run: its features (each drawn from its map, used or not), hidden
   * layers, weight-layer shapes and classes (0 regression, 2 binary, k).
   */
  setStructure(featureMaps: FeatureMaps, active: string[], hidden: HiddenLayerSpec[], layers: LayerShape[], classes: number): void {
    this.structure = () => this.build(featureMaps, active, hidden, layers, classes);
    this.lastUpdate = null;
    this.structure();
  }

  private build(featureMaps: FeatureMaps, active: string[], hidden: HiddenLayerSpec[], layers: LayerShape[], classes: number): void {
    const allFeatures = featureMaps.names;
    this.closeEditor();
    this.featureMaps = featureMaps;
    this.outputs = classes > 2 ? classes : 1;
    if (this.hoveredNode) {
      this.hoveredNode = null;
      this.callbacks.hoverNode();
    }
    this.hidden = hidden;
    this.index = paramIndex(layers);
    this.params = null;
    this.buildHeader();
    for (const el of Array.from(this.graph.querySelectorAll('.node, .layer-head, .wide-block, .class-label'))) el.remove();
    this.svg.innerHTML = '';
    this.columns = [];
    this.links = [];

    // Column 0: every feature, the active ones connected.
    const counts = [allFeatures.length, ...hidden.map((l) => l.units), this.outputs];
    const isWide = (c: number) => c > 0 && c < counts.length - 1 && counts[c] > MAX_GRAPH_UNITS;
    this.laidOutWidth = this.available();
    const layout = layoutGraph(
      counts.map((u, c) => (isWide(c) ? 8 : c === 0 ? 7 : u)),
      this.laidOutWidth,
      this.outputs > 1 ? 22 : 0, // the class labels
    );
    this.scale = layout.scale;
    this.graph.classList.toggle('compact', layout.headWidth < WIDE_HEAD);
    this.graph.style.setProperty('--head-width', `${layout.headWidth}px`);
    const top = layout.top;
    let height = 0;
    counts.forEach((units, c) => {
      const wide = isWide(c);
      const size = layout.sizes[c];
      const step = size + (size >= 28 ? 10 : 6);
      const x = c * layout.pitch;
      const column: Column = { x, size, units, wide, nodes: [], canvases: [], y: (u) => top + u * step };
      height = Math.max(height, top + (wide ? 8 * step : units * step));
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
      this.hoverShows(node, { kind: 'feature', name });
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
        block.style.top = `${top}px`;
        block.style.width = `${column.size}px`;
        block.style.height = `${8 * (column.size + 10) - 10}px`;
        block.textContent = `${column.units} units: see the grid below`;
        this.graph.append(block);
        continue;
      }
      const isOutput = c === this.columns.length - 1;
      for (let u = 0; u < column.units; u++) {
        const id = !isOutput ? `h${layer}-${u}` : this.outputs > 1 ? `output-${u}` : 'output';
        const node = this.addNode(column, u, id);
        node.addEventListener('mouseenter', (e) => this.hoverBias(layer, u, e));
        node.addEventListener('mouseleave', () => this.hideTooltip());
        node.addEventListener('click', (e) => this.openEditor(layer, u, -1, e));
        if (!isOutput) this.hoverShows(node, { kind: 'hidden', column: c, unit: u });
        else if (this.outputs > 1) {
          this.hoverShows(node, { kind: 'class', unit: u });
          this.addClassLabel(column, u);
        }
      }
    }
    this.buildLayerHeads();
    this.buildLinks(active.map((f) => allFeatures.indexOf(f)));
    const width = layout.width;
    this.graph.style.width = `${width}px`;
    this.graph.style.height = `${height}px`;
    // Drawn smaller, the graph takes only its drawn height.
    this.graph.style.transform = layout.scale < 1 ? `scale(${layout.scale})` : '';
    this.graph.style.marginBottom = layout.scale < 1 ? `${-(1 - layout.scale) * height}px` : '';
    this.graph.dataset.scale = layout.scale.toFixed(3);
    this.svg.setAttribute('width', String(width));
    this.svg.setAttribute('height', String(height));
  }

  /** Draws a frame: thumbnails, link colours and widths from the weights, and the dead links' count. */
  update(frame: Frame, pruned: number[][], deadLinks: number): void {
    this.lastUpdate = () => this.update(frame, pruned, deadLinks);
    this.params = frame.params;
    const text = this.hovered?.();
    if (text !== undefined && !this.tooltip.hidden) this.tooltip.textContent = text;
    this.deadCount.textContent = deadLinks ? `${deadLinks} dead link${deadLinks === 1 ? '' : 's'}` : '';
    this.deadCount.dataset.count = String(deadLinks);
    if (!this.index || frame.params.length !== this.index.total) return; // a frame of another run
    // Feature maps never change: they were drawn with the structure.
    const node = nodeIndex(this.activeFeatureColumns().length, this.hidden.map((l) => l.units));
    const size = frame.unitGrid;
    const mapOf = (n: number) => frame.units.subarray(n * size * size, (n + 1) * size * size);
    for (let c = 1; c < this.columns.length; c++) {
      const column = this.columns[c];
      if (column.wide) continue;
      const isOutput = c === this.columns.length - 1;
      const gone = new Set(pruned[c - 1] ?? []);
      for (let u = 0; u < column.units; u++) {
        if (isOutput && this.outputs > 1) drawClassNode(column.canvases[u], frame.output, u);
        else drawUnitCanvas(column.canvases[u], mapOf(isOutput ? frame.nodes - 1 : node(c, u)), size, gone.has(u));
        column.nodes[u].classList.toggle('pruned', gone.has(u));
      }
    }
    for (const link of this.links) {
      const w = frame.params[this.index.weight(link.layer, link.input, link.unit)];
      // TensorFlow Playground draws a dead link (a weight L1 set to 0) as absent.
      link.path.classList.toggle('dead', w === 0);
      link.path.setAttribute('stroke', cssColorOf(w));
      link.path.setAttribute('stroke-width', linkWidth(w).toFixed(2));
    }
  }

  /**
   * The hovered node's map for the large output panel, from `frame` (the one shown), or null
   * when no node is hovered (the panel shows the network's output).
   */
  hoveredMap(frame: Frame): Heatmap | null {
    const h = this.hoveredNode;
    if (!h) return null;
    if (h.kind === 'class') {
      const { width, height } = frame.output;
      const n = width * height;
      return { seq: frame.seq, width, height, maps: 1, classIndex: h.unit, values: frame.output.values.subarray(h.unit * n, (h.unit + 1) * n) };
    }
    const size = h.kind === 'feature' ? this.featureMaps.size : frame.unitGrid;
    let codes: Uint8Array | undefined;
    if (h.kind === 'feature') codes = this.featureMaps.maps[h.name];
    else {
      const n = nodeIndex(this.activeFeatureColumns().length, this.hidden.map((l) => l.units))(h.column, h.unit);
      if ((n + 1) * size * size <= frame.units.length) codes = frame.units.subarray(n * size * size, (n + 1) * size * size);
    }
    if (!codes || !size) return null;
    return { seq: frame.seq, width: size, height: size, maps: 1, values: Float32Array.from(codes, decodeUnit) };
  }

  /** Hovering `node` shows its map in the large output panel, leaving it the output again. */
  private hoverShows(node: HTMLElement, what: HoveredNode): void {
    node.addEventListener('mouseenter', () => {
      this.hoveredNode = what;
      this.callbacks.hoverNode();
    });
    node.addEventListener('mouseleave', () => {
      this.hoveredNode = null;
      this.callbacks.hoverNode();
    });
  }

  private addClassLabel(column: Column, unit: number): void {
    const label = document.createElement('span');
    label.className = 'class-label';
    label.textContent = String(unit);
    label.style.left = `${column.x + column.size + 3}px`;
    label.style.top = `${column.y(unit) + column.size / 2}px`;
    label.style.color = cssClassColor(unit);
    label.title = `class ${unit}`;
    this.graph.append(label);
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
    this.header.append(add, remove, label, this.deadCount);
  }

  private buildLayerHeads(): void {
    this.hidden.forEach((layer, l) => {
      const head = document.createElement('div');
      head.className = 'layer-head';
      const column = this.columns[l + 1];
      const width = Math.min(WIDE_HEAD, parseFloat(this.graph.style.getPropertyValue('--head-width')) || WIDE_HEAD);
      // Centred over its column, but never left of the graph's own edge.
      head.style.left = `${Math.max(-LABEL_MARGIN, column.x + column.size / 2 - width / 2)}px`;
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
    if (text !== undefined) {
      const { box, x, y } = this.local(e);
      showTooltip(this.tooltip, text, { clientX: box.left + x, clientY: box.top + y } as MouseEvent, box);
    }
  }

  /** The graph's box in its own (unscaled) pixels, and the pointer's position in it. */
  private local(e: MouseEvent): { box: DOMRect; x: number; y: number } {
    const r = this.graph.getBoundingClientRect();
    const box = new DOMRect(r.left, r.top, r.width / this.scale, r.height / this.scale);
    return { box, x: (e.clientX - r.left) / this.scale, y: (e.clientY - r.top) / this.scale };
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
    const { x, y } = this.local(e);
    const editor = document.createElement('input');
    editor.type = 'number';
    editor.step = '0.1';
    editor.className = 'param-editor';
    editor.value = current.toFixed(3);
    editor.setAttribute('aria-label', input < 0 ? 'bias' : 'weight');
    editor.style.left = `${x}px`;
    editor.style.top = `${y}px`;
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
