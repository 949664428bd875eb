// The architecture panel: every node of the network for one sample, its pre-activation input
// z, its activation f(z) and its bias b, coloured by its activation; links drawn by weight as
// in the Playground (width by |w|, colour by sign).

import * as d3 from 'd3';
import { cssColorOf } from '../../lib/colorScale';
import type { LayerShape } from '../../lib/wire';
import type { FrameMessage } from './messages';

const fmt = d3.format('+.3f');

export interface NodeBox {
  layer: number; // 0: inputs, k: weight layer k's units
  unit: number;
  x: number;
  y: number;
}

/** Up to this many units a column, each node carries its three value lines; beyond, a dot with a tooltip. */
export const LABELLED_UNITS = 10;
/** Vertical room of a labelled node: its three 12 px lines and a gap (10 px text). */
export const LABELLED_PITCH = 46;
const DENSE_PITCH = 14;

/** The drawing's height: every column's nodes at their pitch, and at least `minHeight`. */
export function layoutHeight(layers: LayerShape[], minHeight: number): number {
  const most = Math.max(layers[0].in, ...layers.map((l) => l.out));
  return Math.max(minHeight, most * (most <= LABELLED_UNITS ? LABELLED_PITCH : DENSE_PITCH));
}

/** Columns of nodes, evenly spaced: inputs at the left, the output at the right (its labels need 90 px). */
export function nodeLayout(layers: LayerShape[], width: number, height: number): NodeBox[] {
  const columns = [layers[0].in, ...layers.map((l) => l.out)];
  const boxes: NodeBox[] = [];
  columns.forEach((count, layer) => {
    const x = 50 + (layer * (width - 140)) / Math.max(1, columns.length - 1);
    for (let unit = 0; unit < count; unit++) boxes.push({ layer, unit, x, y: ((unit + 0.5) * height) / count });
  });
  return boxes;
}

export class ArchitectureView {
  private readonly svg: d3.Selection<SVGSVGElement, unknown, null, undefined>;
  private readonly links: d3.Selection<SVGGElement, unknown, null, undefined>;
  private readonly nodes: d3.Selection<SVGGElement, unknown, null, undefined>;

  /** The drawing is as wide as `host`, and grows taller than `minHeight` when a layer's units need it. */
  constructor(
    private readonly host: HTMLElement,
    private readonly minHeight: number,
  ) {
    this.svg = d3.select(host).append('svg').attr('height', minHeight).attr('class', 'architecture');
    this.links = this.svg.append('g'); // under the nodes
    this.nodes = this.svg.append('g');
  }

  show(layers: LayerShape[], frame: FrameMessage): void {
    const width = Math.max(320, this.host.clientWidth);
    const height = layoutHeight(layers, this.minHeight);
    this.svg.attr('width', width).attr('height', height);
    const boxes = nodeLayout(layers, width, height);
    const at = (layer: number, unit: number) => boxes.find((b) => b.layer === layer && b.unit === unit)!;
    const links: { x1: number; y1: number; x2: number; y2: number; w: number }[] = [];
    let offset = 0;
    let maxAbs = 1e-9;
    layers.forEach((l, k) => {
      for (let i = 0; i < l.in; i++)
        for (let j = 0; j < l.out; j++) {
          const w = frame.params[offset + i * l.out + j];
          maxAbs = Math.max(maxAbs, Math.abs(w));
          const [a, b] = [at(k, i), at(k + 1, j)];
          links.push({ x1: a.x, y1: a.y, x2: b.x, y2: b.y, w });
        }
      offset += l.in * l.out + l.out;
    });
    this.links
      .selectAll('line')
      .data(links)
      .join('line')
      .attr('x1', (d) => d.x1)
      .attr('y1', (d) => d.y1)
      .attr('x2', (d) => d.x2)
      .attr('y2', (d) => d.y2)
      .attr('stroke', (d) => cssColorOf(d.w / maxAbs))
      .attr('stroke-width', (d) => 0.5 + (5 * Math.abs(d.w)) / maxAbs)
      .selectAll('title')
      .data((d) => [d])
      .join('title')
      .text((d) => `w = ${d.w.toFixed(4)}`);

    const dense = Math.max(layers[0].in, ...layers.map((l) => l.out)) > LABELLED_UNITS;
    const value = (b: NodeBox) => (b.layer === 0 ? frame.nodes.inputs[b.unit] : frame.nodes.layers[b.layer - 1].activation[b.unit]);
    const label = (b: NodeBox) => {
      if (b.layer === 0) return [`x${b.unit + 1} = ${fmt(frame.nodes.inputs[b.unit])}`];
      const n = frame.nodes.layers[b.layer - 1];
      return [`z ${fmt(n.pre[b.unit])}`, `a ${fmt(n.activation[b.unit])}`, `b ${fmt(n.bias[b.unit])}`];
    };
    const nodes = this.nodes
      .selectAll<SVGGElement, NodeBox>('g.node')
      .data(boxes)
      .join((enter) => {
        const g = enter.append('g').attr('class', 'node');
        g.append('circle');
        g.append('text').attr('class', 'values');
        g.append('title');
        return g;
      })
      .attr('transform', (b) => `translate(${b.x}, ${b.y})`)
      .attr('data-layer', (b) => b.layer)
      .attr('data-value', (b) => value(b));
    nodes
      .select('circle')
      .attr('r', dense ? 6 : 16)
      .attr('fill', (b) => cssColorOf(value(b)))
      .attr('stroke', '#333');
    nodes.select('title').text((b) => label(b).join('\n'));
    // Three lines centred on the node, right of it (LABELLED_PITCH leaves a gap to the next node).
    nodes
      .select('text.values')
      .attr('x', dense ? 9 : 20)
      .attr('y', dense ? 3 : -9)
      .selectAll('tspan')
      .data((b) => (dense ? [] : label(b)))
      .join('tspan')
      .attr('x', dense ? 9 : 20)
      .attr('dy', (_, i) => (i === 0 ? 0 : 12))
      .text((t) => t);
  }
}
