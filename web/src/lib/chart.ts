// The line chart of every view: one or more series over epochs (losses, gradient norms), on a
// linear axis from 0 or a log axis (for values that span decades). History keeps the points (pure
// logic); LineChart draws them into an <svg> with D3, with a legend and an optional marker.

import * as d3 from 'd3';

/**
 * Points of one or more series by epoch. An epoch below the last means the run restarted, so the
 * history starts over; the same epoch again replaces the last point. Past maxPoints it keeps every
 * other point, so a long run costs bounded memory and drawing.
 */
export class History {
  readonly epochs: number[] = [];
  /** values[s][i]: series s at epochs[i]; NaN where unknown. */
  readonly values: number[][] = [];

  constructor(readonly maxPoints = 1000) {
    if (maxPoints < 2) throw new Error(`History: maxPoints must be at least 2, got ${maxPoints}`);
  }

  add(epoch: number, values: number[]): void {
    const last = this.epochs[this.epochs.length - 1];
    if (last !== undefined && epoch < last) this.clear();
    if (last !== undefined && epoch === last) {
      values.forEach((v, s) => ((this.values[s] ??= [])[this.epochs.length - 1] = v));
      return;
    }
    this.epochs.push(epoch);
    values.forEach((v, s) => ((this.values[s] ??= [])[this.epochs.length - 1] = v));
    if (this.epochs.length > this.maxPoints) this.thin();
  }

  clear(): void {
    this.epochs.length = 0;
    this.values.length = 0;
  }

  get length(): number {
    return this.epochs.length;
  }

  /** The largest finite value of every series, 0 when there is none. */
  maxValue(): number {
    let m = 0;
    for (const s of this.values) for (const v of s) if (Number.isFinite(v)) m = Math.max(m, v);
    return m;
  }

  /** The smallest and largest positive finite value of every series, for a log axis. */
  positiveExtent(): [number, number] {
    let lo = Infinity;
    let hi = 0;
    for (const s of this.values) for (const v of s) if (Number.isFinite(v) && v > 0) [lo, hi] = [Math.min(lo, v), Math.max(hi, v)];
    return Number.isFinite(lo) ? [lo, hi] : [1e-3, 1];
  }

  /** Keeps the points at even indices and always the newest one. */
  private thin(): void {
    const n = this.epochs.length;
    const keep = (i: number) => i % 2 === 0 || i === n - 1;
    const epochs = this.epochs.filter((_, i) => keep(i));
    const values = this.values.map((s) => s.filter((_, i) => keep(i)));
    this.clear();
    this.epochs.push(...epochs);
    this.values.push(...values);
  }
}

export interface ChartOptions {
  width: number;
  height: number;
  /** linear: from 0 to the largest value; log: over the positive values. */
  scale: 'linear' | 'log';
  /** The legend's name of series s. */
  label(series: number): string;
}

export const SERIES_COLORS = ['#666666', '#d9480f', '#1c7ed6', '#2f9e44', '#ae3ec9'];
const MARGIN = { top: 10, right: 12, bottom: 24, left: 46 };
const LEGEND_ROW = 14; // px a legend row takes above the plot

/**
 * Where each legend entry goes in rows above the plot, so that it never covers a line: entries
 * left to right, a new row when the next would pass `width` (a label's width estimated from its
 * length, as an SVG text cannot be measured before it is drawn).
 */
export function legendLayout(labels: string[], width: number): { x: number; row: number }[] {
  let x = 0;
  let row = 0;
  return labels.map((label) => {
    const w = 22 + 6.5 * label.length;
    if (x > 0 && x + w > width) [x, row] = [0, row + 1];
    const at = { x, row };
    x += w + 10;
    return at;
  });
}

/** Draws a History into an <svg>; render() redraws the lines, which is cheap at this size. */
export class LineChart {
  private readonly svg: d3.Selection<SVGSVGElement, unknown, null, undefined>;
  private readonly plot: d3.Selection<SVGGElement, unknown, null, undefined>;
  private readonly xAxis: d3.Selection<SVGGElement, unknown, null, undefined>;
  private readonly yAxis: d3.Selection<SVGGElement, unknown, null, undefined>;
  private readonly lines: d3.Selection<SVGGElement, unknown, null, undefined>;
  private readonly legend: d3.Selection<SVGGElement, unknown, null, undefined>;
  private readonly marker: d3.Selection<SVGLineElement, unknown, null, undefined>;
  private readonly innerW: number;
  private innerH = 0;
  private legendRows = 0;

  constructor(
    element: SVGSVGElement,
    private readonly options: ChartOptions,
  ) {
    const { width } = options;
    this.innerW = width - MARGIN.left - MARGIN.right;
    this.svg = d3.select(element).attr('width', width).attr('height', options.height).attr('viewBox', `0 0 ${width} ${options.height}`);
    this.svg.classed('line-chart', true).selectAll('*').remove();
    this.legend = this.svg.append('g').attr('class', 'legend').attr('transform', `translate(${MARGIN.left},0)`);
    this.plot = this.svg.append('g');
    this.xAxis = this.plot.append('g').attr('class', 'axis x-axis');
    this.yAxis = this.plot.append('g').attr('class', 'axis y-axis');
    this.lines = this.plot.append('g').attr('class', 'lines');
    this.marker = this.plot.append('line').attr('class', 'marker').attr('display', 'none').attr('y1', 0).attr('stroke', '#222').attr('stroke-dasharray', '3 2');
    this.place(0);
  }

  /** Puts the plot below `rows` legend rows. */
  private place(rows: number): void {
    const top = MARGIN.top + rows * LEGEND_ROW;
    this.innerH = this.options.height - top - MARGIN.bottom;
    this.plot.attr('transform', `translate(${MARGIN.left},${top})`);
    this.xAxis.attr('transform', `translate(0,${this.innerH})`);
    this.marker.attr('y2', this.innerH);
  }

  /** `marker`: an epoch to mark with a vertical line (the Timeline's position), if any. */
  render(history: History, marker?: number): void {
    const { epochs } = history;
    const labels = history.values.map((_, s) => this.options.label(s));
    const slots = legendLayout(labels, this.innerW);
    const rows = slots.length ? slots[slots.length - 1].row + 1 : 0;
    if (rows !== this.legendRows) this.place((this.legendRows = rows));
    const first = epochs[0] ?? 0;
    const last = epochs[epochs.length - 1] ?? 0;
    const x = d3.scaleLinear().domain([first, Math.max(last, first + 1)]).range([0, this.innerW]);
    // Epochs are whole numbers: never more ticks than epochs in view.
    this.xAxis.call(d3.axisBottom(x).ticks(Math.max(1, Math.min(5, last - first))).tickFormat(d3.format('~s')));
    let y: d3.ScaleContinuousNumeric<number, number>;
    let defined: (v: number) => boolean;
    if (this.options.scale === 'log') {
      const [lo, hi] = history.positiveExtent();
      y = d3.scaleLog().domain([lo, Math.max(hi, lo * 10)]).range([this.innerH, 0]).nice();
      defined = (v) => Number.isFinite(v) && v > 0;
      this.yAxis.call(d3.axisLeft(y).ticks(4, '.0e'));
    } else {
      y = d3.scaleLinear().domain([0, history.maxValue() || 1]).nice().range([this.innerH, 0]);
      defined = Number.isFinite;
      this.yAxis.call(d3.axisLeft(y).ticks(4));
    }
    const line = d3
      .line<number>()
      .defined(defined)
      .x((_, i) => x(epochs[i]))
      .y((v) => y(v));
    const color = (_: unknown, s: number) => SERIES_COLORS[s % SERIES_COLORS.length];
    this.lines
      .selectAll('path')
      .data(history.values)
      .join('path')
      .attr('class', (_, s) => `line line-${s}`)
      .attr('fill', 'none')
      .attr('stroke', color)
      .attr('stroke-width', 1.5)
      .attr('d', (values) => line(values) ?? '');
    const entries = this.legend
      .selectAll<SVGGElement, number[]>('g')
      .data(history.values)
      .join((enter) => {
        const g = enter.append('g');
        g.append('line').attr('x1', 0).attr('x2', 14).attr('y1', -4).attr('y2', -4).attr('stroke-width', 2);
        g.append('text').attr('x', 18).attr('text-anchor', 'start');
        return g;
      })
      .attr('transform', (_, s) => `translate(${slots[s].x},${MARGIN.top + LEGEND_ROW * slots[s].row + 2})`);
    entries.select('line').attr('stroke', color);
    entries.select('text').text((_, s) => labels[s]);
    this.marker.attr('display', marker === undefined ? 'none' : null);
    if (marker !== undefined) this.marker.attr('x1', x(marker)).attr('x2', x(marker));
    this.svg.attr('data-points', String(history.length));
    this.svg.attr('data-marker', marker === undefined ? '' : String(marker));
  }
}
