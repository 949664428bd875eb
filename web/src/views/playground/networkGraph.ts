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
import type { Heatmap } from '../../lib/heatmap';
import type { LayerShape } from '../../lib/wire';
import type { Frame } from './frames';
import { decodeUnit, drawUnitCanvas } from '../../lib/unitMap';
import { drawClassNode } from './classNode';
import { buildGraphHeader, layerHead, type HiddenLayerSpec } from './layerControls';
import { LABEL_MARGIN, layoutGraph, WIDE_HEAD } from './graphLayout';
import { nodeIndex, paramIndex, type ParamIndex } from './networkModel';
import { ParamEditor } from './paramEditor';

export const MAX_GRAPH_UNITS = 32;
const SVG_NS = 'http://www.w3.org/2000/svg';

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
  private readonly paramEditor: ParamEditor;
  private readonly deadCount: HTMLElement;
  private columns: Column[] = [];
  private links: Link[] = [];
  private index: ParamIndex | null = null;
  private hidden: HiddenLayerSpec[] = [];
  private activations: string[] = [];
  private params: Float32Array | null = null;
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
    this.graph.append(this.svg);
    this.paramEditor = new ParamEditor(this.graph, () => this.scale, (l, u, i) => this.value(l, u, i), callbacks.editParam);
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
    this.paramEditor.close();
    this.featureMaps = featureMaps;
    this.outputs = classes > 2 ? classes : 1;
    if (this.hoveredNode) {
      this.hoveredNode = null;
      this.callbacks.hoverNode();
    }
    this.hidden = hidden;
    this.index = paramIndex(layers);
    this.params = null;
    buildGraphHeader(this.header, this.hidden, this.deadCount, this.callbacks);
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
        node.addEventListener('mouseenter', (e) => this.paramEditor.hover(layer, u, -1, e));
        node.addEventListener('mouseleave', () => this.paramEditor.hide());
        node.addEventListener('click', (e) => this.paramEditor.open(layer, u, -1, e));
        if (!isOutput) this.hoverShows(node, { kind: 'hidden', column: c, unit: u });
        else if (this.outputs > 1) {
          this.hoverShows(node, { kind: 'class', unit: u });
          this.addClassLabel(column, u);
        }
      }
    }
    const headWidth = Math.min(WIDE_HEAD, parseFloat(this.graph.style.getPropertyValue('--head-width')) || WIDE_HEAD);
    this.hidden.forEach((_, l) => {
      const column = this.columns[l + 1];
      // Centred over its column, but never left of the graph's own edge.
      const left = Math.max(-LABEL_MARGIN, column.x + column.size / 2 - headWidth / 2);
      this.graph.append(layerHead(this.hidden, l, left, this.activations, this.callbacks));
    });
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
    this.paramEditor.refresh();
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
          path.addEventListener('mouseenter', (e) => this.paramEditor.hover(link.layer, link.unit, link.input, e));
          path.addEventListener('mouseleave', () => this.paramEditor.hide());
          path.addEventListener('click', (e) => this.paramEditor.open(link.layer, link.unit, link.input, e));
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
}
