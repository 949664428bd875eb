// The Inside messages at /ws/inside, protocol 2 (docs/protocol.md, "Inside"): what the page
// sends, a schema per message the server sends (types inferred from them), the frame's pictures
// (tensor frame "NLIN"), and the names of a network's parameters in their flat order.

import { z } from 'zod';
import type { ViewProtocol } from '../../lib/socket';
import {
  Domain,
  ErrorMessage,
  LayerShape,
  Point,
  ProtocolError,
  decodeTensorFrame,
  helloFields,
  nullableNumber,
  type Tensor,
} from '../../lib/wire';

export const PROTOCOL_VERSION = 2;

const InsideSpec = z.object({
  dataset: z.string(),
  noise: z.number(),
  num_samples: z.number().int(),
  data_seed: z.number(),
  hidden: z.array(z.number().int().positive()),
  activation: z.string(),
  loss: z.string(),
  learning_rate: z.number(),
  seed: z.number(),
  epochs: z.number().int(),
  refresh: z.number().int(),
});
export type InsideSpec = z.infer<typeof InsideSpec>;

export type InsideClientMessage =
  | { type: 'set_spec'; spec: Partial<InsideSpec> }
  | { type: 'set_view'; layer?: number; dims?: number; directions?: 'random' | 'weights'; first?: number; second?: number; extent?: number }
  | { type: 'play' | 'pause' | 'step' | 'reset' | 'stop' }
  | { type: 'probe'; x1: number; x2: number };

const numbers = z.array(z.number());

const Hello = z.object({ ...helloFields, datasets: z.array(z.string()), activations: z.array(z.string()), losses: z.array(z.string()), defaults: InsideSpec });

const Run = z.object({ type: z.literal('run'), run: z.number().int(), spec: InsideSpec, layers: z.array(LayerShape), domain: Domain, points: z.array(Point) });

const LayerNodes = z.object({ pre: numbers, activation: numbers, bias: numbers });

const HiddenInfo = z.object({
  layer: z.number().int(),
  units: z.number().int().optional(),
  dims: z.number().int().optional(),
  projected: z.boolean().optional(),
  explained: numbers.optional(),
  separator: z.object({ weights: numbers, bias: z.number(), accuracy: z.number() }).optional(),
  /** Instead of the rest when the layer has one unit. */
  error: z.string().optional(),
});
export type HiddenInfo = z.infer<typeof HiddenInfo>;

const Frame = z.object({
  type: z.literal('frame'),
  seq: z.number().int(),
  epoch: z.number(),
  epochs: z.number(),
  running: z.boolean(),
  finished: z.boolean(),
  stopped: z.boolean(),
  /** null when not finite. */
  loss: nullableNumber,
  accuracy: z.number(),
  gradient_norms: z.array(nullableNumber.transform((v) => v ?? NaN)),
  /** Each weight layer's weights ((in, out) row-major) then biases, layer after layer. */
  params: numbers,
  nodes: z.object({ x1: z.number(), x2: z.number(), inputs: numbers, layers: z.array(LayerNodes) }),
  hidden: HiddenInfo,
  surface: z.object({
    directions: z.enum(['random', 'weights']),
    first: z.number().int(),
    second: z.number().int(),
    extent: z.number(),
    resolution: z.number().int(),
  }),
});
export type FrameMessage = z.infer<typeof Frame>;

export const MESSAGES = { hello: Hello, run: Run, frame: Frame, error: ErrorMessage };

/** The pictures of a frame (tensor frame "NLIN"). */
export interface FramePictures {
  seq: number;
  boundary: Tensor; // (G, G) in [-1, 1], row 0 at y_max
  points: Tensor; // (n, dims) hidden coordinates of the training points
  grid: Tensor; // (lines, samples, dims) the warped grid
  surface: Tensor; // (R, R) losses, row r is beta, column c alpha
  trajectory: Tensor; // (T, 5): epoch, alpha, beta, loss, surface_loss
}

export function decodeFramePictures(buffer: ArrayBuffer): FramePictures {
  const f = decodeTensorFrame(buffer);
  if (f.magic !== 'NLIN' || f.tensors.length !== 5) {
    throw new ProtocolError(`inside frame: expected NLIN with 5 tensors, got ${f.magic} with ${f.tensors.length}`);
  }
  const [boundary, points, grid, surface, trajectory] = f.tensors;
  return { seq: f.seq, boundary, points, grid, surface, trajectory };
}

export const INSIDE: ViewProtocol<typeof MESSAGES, FramePictures> = {
  view: 'inside',
  title: 'Inside',
  protocol: PROTOCOL_VERSION,
  path: '/ws/inside',
  messages: MESSAGES,
  binary: decodeFramePictures,
};

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
