// Train and test loss over epochs. LossHistory keeps the points (pure logic);
// LossChart draws them as two lines with axes and a legend in an SVG, with D3.

import * as d3 from 'd3';

export interface LossPoint {
  epoch: number;
  train: number; // NaN when unknown
  test: number;
}

/**
 * Losses in epoch order. An epoch below the last one means the run restarted (reset or a new
 * spec), so the history starts over; the same epoch again replaces the last point. Past
 * maxPoints it keeps every other point, so a long run costs bounded memory and drawing.
 */
export class LossHistory {
  private points: LossPoint[] = [];

  constructor(readonly maxPoints = 1000) {
    if (maxPoints < 2) throw new Error(`LossHistory: maxPoints must be at least 2, got ${maxPoints}`);
  }

  add(p: LossPoint): void {
    const last = this.points[this.points.length - 1];
    if (last && p.epoch < last.epoch) this.points = [];
    if (last && p.epoch === last.epoch) {
      this.points[this.points.length - 1] = { ...p };
    } else {
      this.points.push({ ...p });
    }
    if (this.points.length > this.maxPoints) this.thin();
  }

  clear(): void {
    this.points = [];
  }

  get length(): number {
    return this.points.length;
  }

  all(): readonly LossPoint[] {
    return this.points;
  }

  /** The largest finite loss of either line, 0 when there is none. */
  maxLoss(): number {
    let m = 0;
    for (const p of this.points) {
      if (Number.isFinite(p.train)) m = Math.max(m, p.train);
      if (Number.isFinite(p.test)) m = Math.max(m, p.test);
    }
    return m;
  }

  /** Keeps the points at even indices and always the newest one. */
  private thin(): void {
    const newest = this.points[this.points.length - 1];
    const kept = this.points.filter((_, i) => i % 2 === 0);
    if (kept[kept.length - 1] !== newest) kept.push(newest);
    this.points = kept;
  }
}

export const SERIES = [
  { key: 'train', label: 'train loss', color: '#666666' },
  { key: 'test', label: 'test loss', color: '#d9480f' },
] as const;

const MARGIN = { top: 10, right: 12, bottom: 24, left: 40 };

/** Draws a LossHistory into an <svg>; render() redraws from scratch, which is cheap here. */
export class LossChart {
  private readonly svg: d3.Selection<SVGSVGElement, unknown, null, undefined>;
  private readonly plot: d3.Selection<SVGGElement, unknown, null, undefined>;
  private readonly xAxis: d3.Selection<SVGGElement, unknown, null, undefined>;
  private readonly yAxis: d3.Selection<SVGGElement, unknown, null, undefined>;
  private readonly lines: Map<string, d3.Selection<SVGPathElement, unknown, null, undefined>>;
  private readonly marker: d3.Selection<SVGLineElement, unknown, null, undefined>;
  private readonly innerW: number;
  private readonly innerH: number;

  constructor(element: SVGSVGElement, width: number, height: number) {
    this.innerW = width - MARGIN.left - MARGIN.right;
    this.innerH = height - MARGIN.top - MARGIN.bottom;
    this.svg = d3.select(element).attr('width', width).attr('height', height).attr('viewBox', `0 0 ${width} ${height}`);
    this.svg.selectAll('*').remove();
    this.plot = this.svg.append('g').attr('transform', `translate(${MARGIN.left},${MARGIN.top})`);
    this.xAxis = this.plot.append('g').attr('class', 'axis x-axis').attr('transform', `translate(0,${this.innerH})`);
    this.yAxis = this.plot.append('g').attr('class', 'axis y-axis');
    this.lines = new Map(
      SERIES.map((s) => [
        s.key,
        this.plot
          .append('path')
          .attr('class', `line line-${s.key}`)
          .attr('fill', 'none')
          .attr('stroke', s.color)
          .attr('stroke-width', 1.5),
      ]),
    );
    this.marker = this.plot
      .append('line')
      .attr('class', 'marker')
      .attr('y1', 0)
      .attr('y2', this.innerH)
      .attr('stroke', '#222')
      .attr('stroke-dasharray', '3 2');
    this.drawLegend();
  }

  /** `marker`: an epoch to mark with a vertical line (the Timeline's position), if any. */
  render(history: LossHistory, marker?: number): void {
    const points = history.all();
    const lastEpoch = points.length ? points[points.length - 1].epoch : 0;
    const firstEpoch = points.length ? points[0].epoch : 0;
    const x = d3.scaleLinear().domain([firstEpoch, Math.max(lastEpoch, firstEpoch + 1)]).range([0, this.innerW]);
    const y = d3.scaleLinear().domain([0, history.maxLoss() || 1]).nice().range([this.innerH, 0]);
    // Epochs are whole numbers: never more ticks than epochs in view.
    const xTicks = Math.max(1, Math.min(5, lastEpoch - firstEpoch));
    this.xAxis.call(d3.axisBottom(x).ticks(xTicks).tickFormat(d3.format('~s')));
    this.yAxis.call(d3.axisLeft(y).ticks(4));
    for (const s of SERIES) {
      const line = d3
        .line<LossPoint>()
        .defined((p) => Number.isFinite(p[s.key]))
        .x((p) => x(p.epoch))
        .y((p) => y(p[s.key]));
      this.lines.get(s.key)!.attr('d', line(points as LossPoint[]) ?? '');
    }
    this.marker.attr('display', marker === undefined ? 'none' : null);
    if (marker !== undefined) this.marker.attr('x1', x(marker)).attr('x2', x(marker));
    this.svg.attr('data-points', String(points.length));
    this.svg.attr('data-marker', marker === undefined ? '' : String(marker));
  }

  private drawLegend(): void {
    const legend = this.plot.append('g').attr('class', 'legend').attr('transform', `translate(${this.innerW - 150},0)`);
    SERIES.forEach((s, i) => {
      const row = legend.append('g').attr('transform', `translate(${i * 78},0)`);
      row.append('line').attr('x1', 0).attr('x2', 14).attr('y1', 6).attr('y2', 6).attr('stroke', s.color).attr('stroke-width', 2);
      row.append('text').attr('x', 18).attr('y', 9).text(s.label);
    });
  }
}
