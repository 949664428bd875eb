// The Inside protocol at /ws/inside (docs/protocol.md, "Inside"): message types, the URL
// settings a link carries, and the names of a network's parameters in their flat order.

import type { Domain, Point } from '../../lib/protocol';
import { parseTensorFrame, type Tensor } from '../digits/protocol';

export interface InsideSpec {
  dataset: string;
  noise: number;
  num_samples: number;
  data_seed: number;
  hidden: number[];
  activation: string;
  loss: string;
  learning_rate: number;
  seed: number;
  epochs: number;
  refresh: number;
}

export interface LayerShape {
  in: number;
  out: number;
}

export interface LayerNodes {
  pre: number[];
  activation: number[];
  bias: number[];
}

export interface HiddenInfo {
  layer: number;
  units?: number;
  dims?: number;
  projected?: boolean;
  explained?: number[];
  separator?: { weights: number[]; bias: number; accuracy: number };
  error?: string;
}

export interface FrameMessage {
  type: 'frame';
  seq: number;
  epoch: number;
  epochs: number;
  running: boolean;
  finished: boolean;
  stopped: boolean;
  loss: number | null;
  accuracy: number;
  gradient_norms: number[];
  params: number[];
  nodes: { x1: number; x2: number; inputs: number[]; layers: LayerNodes[] };
  hidden: HiddenInfo;
  surface: { directions: 'random' | 'weights'; first: number; second: number; extent: number; resolution: number };
}

export type InsideServerMessage =
  | { type: 'hello'; protocol: number; version: string; datasets: string[]; activations: string[]; losses: string[]; defaults: InsideSpec }
  | { type: 'run'; run: number; spec: InsideSpec; layers: LayerShape[]; domain: Domain; points: Point[] }
  | FrameMessage
  | { type: 'error'; message: string };

export type InsideClientMessage =
  | { type: 'set_spec'; spec: Partial<InsideSpec> }
  | { type: 'set_view'; layer?: number; dims?: number; directions?: 'random' | 'weights'; first?: number; second?: number; extent?: number }
  | { type: 'play' | 'pause' | 'step' | 'reset' | 'stop' }
  | { type: 'probe'; x1: number; x2: number };

/** The pictures of a frame (tensor frame "NLIN"). */
export interface FramePictures {
  seq: number;
  boundary: Tensor; // (G, G) in [-1, 1], row 0 at y_max
  points: Tensor; // (n, dims) hidden coordinates of the training points
  grid: Tensor; // (lines, samples, dims) the warped grid
  surface: Tensor; // (R, R) losses, row r is beta, column c alpha
  trajectory: Tensor; // (T, 5): epoch, alpha, beta, loss, surface_loss
}

export function parseFramePictures(buffer: ArrayBuffer): FramePictures {
  const f = parseTensorFrame(buffer);
  if (f.magic !== 'NLIN' || f.tensors.length !== 5) throw new Error(`inside frame: expected NLIN with 5 tensors, got ${f.magic}`);
  const [boundary, points, grid, surface, trajectory] = f.tensors;
  return { seq: f.seq, boundary, points, grid, surface, trajectory };
}

export function parseInsideMessage(text: string): InsideServerMessage {
  const m = JSON.parse(text) as InsideServerMessage;
  if (typeof m !== 'object' || m === null || typeof m.type !== 'string') throw new Error('message without a type');
  return m;
}

export function insideSocketUrl(location: { protocol: string; host: string }): string {
  return `${location.protocol === 'https:' ? 'wss:' : 'ws:'}//${location.host}/ws/inside`;
}

/**
 * The spec keys a link sets (`inside.html?hidden=3&refresh=200&epochs=40000`), as `netlens xor`
 * writes them; unknown keys and unreadable values are left out (the server checks the rest).
 */
export function specFromQuery(query: string): Partial<InsideSpec> {
  const params = new URLSearchParams(query);
  const spec: Partial<InsideSpec> = {};
  const num = (key: keyof InsideSpec) => {
    const text = params.get(key);
    if (text === null || text.trim() === '') return undefined;
    const v = Number(text);
    return Number.isFinite(v) ? v : undefined;
  };
  for (const key of ['noise', 'num_samples', 'data_seed', 'learning_rate', 'seed', 'epochs', 'refresh'] as const) {
    const v = num(key);
    if (v !== undefined) spec[key] = v;
  }
  for (const key of ['dataset', 'activation', 'loss'] as const) {
    const v = params.get(key);
    if (v) spec[key] = v;
  }
  const hidden = params.get('hidden');
  if (hidden) {
    const units = hidden.split(',').map((s) => Number(s));
    if (units.length > 0 && units.every((u) => Number.isInteger(u) && u > 0)) spec.hidden = units;
  }
  return spec;
}

/**
 * Each parameter's name in the server's flat order: per weight layer its weights (in, out)
 * row-major, then its biases. Layer 1 feeds the first hidden layer; inputs are x1, x2.
 */
export function paramNames(layers: LayerShape[]): string[] {
  const names: string[] = [];
  layers.forEach((l, k) => {
    const source = (i: number) => (k === 0 ? `x${i + 1}` : `h${k}.${i + 1}`);
    const target = (j: number) => (k === layers.length - 1 ? 'out' : `h${k + 1}.${j + 1}`);
    for (let i = 0; i < l.in; i++) for (let j = 0; j < l.out; j++) names.push(`w ${source(i)}→${target(j)}`);
    for (let j = 0; j < l.out; j++) names.push(`b ${target(j)}`);
  });
  return names;
}
