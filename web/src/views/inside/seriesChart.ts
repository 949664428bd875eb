// A line chart of one or more series over epochs, on a log scale when asked (losses and
// gradient norms span decades). Series keeps the points; SeriesChart draws them with D3.

import * as d3 from 'd3';

export class Series {
  readonly epochs: number[] = [];
  readonly values: number[][] = []; // values[s][i] for series s at epochs[i]

  /** An epoch below the last starts over (a new run); the same epoch again replaces the last point. */
  add(epoch: number, values: number[]): void {
    const last = this.epochs[this.epochs.length - 1];
    if (last !== undefined && epoch < last) this.clear();
    if (last !== undefined && epoch === last) {
      values.forEach((v, s) => (this.values[s][this.values[s].length - 1] = v));
      return;
    }
    this.epochs.push(epoch);
    values.forEach((v, s) => (this.values[s] ??= []).push(v));
  }

  clear(): void {
    this.epochs.length = 0;
    this.values.length = 0;
  }

  /** The smallest and largest positive finite value of every series, for a log axis. */
  positiveExtent(): [number, number] {
    let lo = Infinity;
    let hi = 0;
    for (const s of this.values) for (const v of s) if (Number.isFinite(v) && v > 0) [lo, hi] = [Math.min(lo, v), Math.max(hi, v)];
    return Number.isFinite(lo) ? [lo, hi] : [1e-3, 1];
  }
}

const MARGIN = { top: 8, right: 10, bottom: 22, left: 46 };
const COLORS = ['#444', '#d9480f', '#1c7ed6', '#2f9e44', '#ae3ec9'];

export class SeriesChart {
  private readonly svg: d3.Selection<SVGSVGElement, unknown, null, undefined>;

  constructor(
    host: HTMLElement,
    private readonly width: number,
    private readonly height: number,
    private readonly names: (s: number) => string,
  ) {
    this.svg = d3.select(host).append('svg').attr('width', width).attr('height', height).attr('class', 'series-chart');
  }

  render(series: Series): void {
    const w = this.width - MARGIN.left - MARGIN.right;
    const h = this.height - MARGIN.top - MARGIN.bottom;
    const last = series.epochs[series.epochs.length - 1] ?? 1;
    const x = d3.scaleLinear().domain([0, Math.max(1, last)]).range([0, w]);
    const [lo, hi] = series.positiveExtent();
    const y = d3.scaleLog().domain([lo, Math.max(hi, lo * 10)]).range([h, 0]).nice();
    this.svg.selectAll('*').remove();
    const g = this.svg.append('g').attr('transform', `translate(${MARGIN.left},${MARGIN.top})`);
    g.append('g').attr('transform', `translate(0,${h})`).call(d3.axisBottom(x).ticks(5, 's'));
    g.append('g').call(d3.axisLeft(y).ticks(4, '.0e'));
    series.values.forEach((values, s) => {
      const line = d3
        .line<number>()
        .defined((v) => Number.isFinite(v) && v > 0)
        .x((_, i) => x(series.epochs[i]))
        .y((v) => y(v));
      g.append('path').attr('fill', 'none').attr('stroke', COLORS[s % COLORS.length]).attr('stroke-width', 1.5).attr('d', line(values));
      g.append('text')
        .attr('x', w - 4)
        .attr('y', 12 + 13 * s)
        .attr('text-anchor', 'end')
        .attr('fill', COLORS[s % COLORS.length])
        .attr('font-size', 11)
        .text(this.names(s));
    });
  }
}
