// The output heatmap: the grid of network outputs painted with the colour scale (paler than the
// points, as TensorFlow Playground draws it), and the data points on top, on one canvas. gridToRGBA and domainToPixel are pure; HeatmapView draws.

import { CLASS_COLORS, colorOf, cssClassColor, cssColorOf } from './colorScale';
import type { Domain, Point } from './wire';

/**
 * Values over a grid: row 0 is y_max, column 0 is x_min. One map of values in [-1, 1], or (more
 * than two classes) one probability map per class, class-major.
 */
export interface Heatmap {
  seq: number;
  width: number;
  height: number;
  maps: number;
  values: Float32Array; // maps * width * height, row-major
  /** One map of a class's probability (0..1), painted from white to that class's colour. */
  classIndex?: number;
}

/**
 * Paints a width*height grid of values (row-major) into RGBA bytes, alpha opaque. Discretized,
 * each value is drawn as its sign's full colour (TensorFlow Playground's "discretize output").
 */
export function gridToRGBA(
  values: ArrayLike<number>,
  width: number,
  height: number,
  out: Uint8ClampedArray = new Uint8ClampedArray(width * height * 4),
  discretize = false,
): Uint8ClampedArray {
  if (values.length !== width * height) {
    throw new Error(`gridToRGBA: ${values.length} values for a ${width}×${height} grid`);
  }
  if (out.length !== width * height * 4) {
    throw new Error(`gridToRGBA: output holds ${out.length} bytes, needs ${width * height * 4}`);
  }
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    const [r, g, b] = colorOf(discretize ? (v > 0 ? 1 : v < 0 ? -1 : 0) : v);
    out[4 * i] = r;
    out[4 * i + 1] = g;
    out[4 * i + 2] = b;
    out[4 * i + 3] = 255;
  }
  return out;
}

/**
 * Paints k class-probability maps (class-major, each width*height) as regions: each point in
 * its most likely class's colour, faded toward white as that class's probability falls to 1/k
 * (a confident region is solid, a boundary pale). Discretized: solid colours only.
 */
export function classesToRGBA(
  values: ArrayLike<number>,
  classes: number,
  points: number,
  out: Uint8ClampedArray,
  discretize = false,
): Uint8ClampedArray {
  for (let p = 0; p < points; p++) {
    let best = 0;
    for (let c = 1; c < classes; c++) if (values[c * points + p] > values[best * points + p]) best = c;
    const confidence = (values[best * points + p] - 1 / classes) / (1 - 1 / classes);
    const t = discretize ? 1 : 0.15 + 0.85 * Math.max(0, Math.min(1, confidence));
    const rgb = CLASS_COLORS[best % CLASS_COLORS.length];
    for (let i = 0; i < 3; i++) out[4 * p + i] = Math.round(255 + (rgb[i] - 255) * t);
    out[4 * p + 3] = 255;
  }
  return out;
}

/** Paints one class's probability map (0..1, `points` values) from white to the class's colour. */
export function classProbabilityToRGBA(values: ArrayLike<number>, classIndex: number, points: number, out: Uint8ClampedArray): Uint8ClampedArray {
  const rgb = CLASS_COLORS[classIndex % CLASS_COLORS.length];
  for (let p = 0; p < points; p++) {
    const t = Math.max(0, Math.min(1, values[p]));
    for (let i = 0; i < 3; i++) out[4 * p + i] = Math.round(255 + (rgb[i] - 255) * t);
    out[4 * p + 3] = 255;
  }
  return out;
}

/** Maps data coordinates to canvas pixels: x_min at the left edge, y_max at the top edge. */
export function domainToPixel(domain: Domain, widthPx: number, heightPx: number) {
  const sx = widthPx / (domain.x_max - domain.x_min);
  const sy = heightPx / (domain.y_max - domain.y_min);
  return {
    x: (x: number) => (x - domain.x_min) * sx,
    y: (y: number) => (domain.y_max - y) * sy,
  };
}

export interface HeatmapStyle {
  pointRadius: number; // CSS px
  trainStroke: string;
  testStroke: string;
}

/**
 * How much of its colour the background keeps over white: TensorFlow Playground's 160 / 255, so
 * that the points, drawn at full strength, read against even a confident region.
 */
export const BACKGROUND_ALPHA = 160 / 255;

const DEFAULT_STYLE: HeatmapStyle = { pointRadius: 4, trainStroke: '#ffffff', testStroke: '#333333' };

/** Draws the newest heatmap and the data points on a canvas, sharp on high-DPI screens. */
export class HeatmapView {
  private readonly ctx: CanvasRenderingContext2D;
  private readonly gridCanvas: HTMLCanvasElement;
  private domain: Domain | null = null;
  private train: Point[] = [];
  private test: Point[] = [];
  private heatmap: Heatmap | null = null;
  private image: ImageData | null = null;
  private discretize = false;
  private showTest = false;
  private classes = 2;

  constructor(
    private readonly canvas: HTMLCanvasElement,
    private readonly sizePx: number,
    private readonly style: HeatmapStyle = DEFAULT_STYLE,
  ) {
    const ratio = Math.max(1, Math.round(window.devicePixelRatio || 1));
    canvas.width = sizePx * ratio;
    canvas.height = sizePx * ratio;
    canvas.style.width = `${sizePx}px`;
    canvas.style.height = `${sizePx}px`;
    const ctx = canvas.getContext('2d');
    if (!ctx) throw new Error('heatmap: canvas 2D context unavailable');
    this.ctx = ctx;
    this.ctx.scale(ratio, ratio);
    this.gridCanvas = document.createElement('canvas');
  }

  setDomain(domain: Domain): void {
    this.domain = domain;
  }

  setPoints(train: Point[], test: Point[]): void {
    this.train = train;
    this.test = test;
  }

  setHeatmap(heatmap: Heatmap): void {
    this.heatmap = heatmap;
  }

  /** More than two classes: labels are class indices, drawn in the class palette. */
  setClasses(classes: number): void {
    this.classes = classes;
  }

  setOptions(options: { discretize: boolean; showTest: boolean }): void {
    this.discretize = options.discretize;
    this.showTest = options.showTest;
  }

  /** The domain point under a mouse event's position, or null before a domain is known. */
  pointAt(clientX: number, clientY: number): { x1: number; x2: number } | null {
    if (!this.domain) return null;
    const box = this.canvas.getBoundingClientRect();
    const d = this.domain;
    return {
      x1: d.x_min + ((clientX - box.left) / box.width) * (d.x_max - d.x_min),
      x2: d.y_max - ((clientY - box.top) / box.height) * (d.y_max - d.y_min),
    };
  }

  /** Forgets the heatmap and the points (a new spec is coming). */
  clear(): void {
    this.heatmap = null;
    this.train = [];
    this.test = [];
  }

  render(): void {
    const { ctx, sizePx } = this;
    ctx.clearRect(0, 0, sizePx, sizePx);
    if (this.heatmap) this.drawGrid(this.heatmap);
    if (this.domain) {
      const toPx = domainToPixel(this.domain, sizePx, sizePx);
      if (this.showTest) this.drawPoints(this.test, toPx, this.style.testStroke);
      this.drawPoints(this.train, toPx, this.style.trainStroke);
    }
    this.canvas.dataset.seq = this.heatmap ? String(this.heatmap.seq) : '';
  }

  private drawGrid(hm: Heatmap): void {
    const { gridCanvas } = this;
    if (gridCanvas.width !== hm.width || gridCanvas.height !== hm.height) {
      gridCanvas.width = hm.width;
      gridCanvas.height = hm.height;
      this.image = null;
    }
    this.image ??= new ImageData(hm.width, hm.height);
    if (hm.classIndex !== undefined) classProbabilityToRGBA(hm.values, hm.classIndex, hm.width * hm.height, this.image.data);
    else if (hm.maps > 1) classesToRGBA(hm.values, hm.maps, hm.width * hm.height, this.image.data, this.discretize);
    else gridToRGBA(hm.values, hm.width, hm.height, this.image.data, this.discretize);
    const gctx = gridCanvas.getContext('2d');
    if (!gctx) throw new Error('heatmap: canvas 2D context unavailable');
    gctx.putImageData(this.image, 0, 0);
    this.ctx.imageSmoothingEnabled = true;
    this.ctx.fillStyle = '#fff';
    this.ctx.fillRect(0, 0, this.sizePx, this.sizePx);
    this.ctx.globalAlpha = BACKGROUND_ALPHA;
    this.ctx.drawImage(gridCanvas, 0, 0, this.sizePx, this.sizePx);
    this.ctx.globalAlpha = 1;
  }

  private drawPoints(
    points: Point[],
    toPx: ReturnType<typeof domainToPixel>,
    stroke: string,
  ): void {
    const { ctx } = this;
    const r = this.style.pointRadius;
    ctx.lineWidth = 1;
    ctx.strokeStyle = stroke;
    for (const [x, y, label] of points) {
      ctx.beginPath();
      ctx.arc(toPx.x(x), toPx.y(y), r, 0, 2 * Math.PI);
      ctx.fillStyle = this.classes > 2 ? cssClassColor(label) : cssColorOf(label);
      ctx.fill();
      ctx.stroke();
    }
  }
}
