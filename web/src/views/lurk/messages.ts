// The Lurk messages at /ws/lurk, protocol 1 (docs/protocol.md, "Lurk"): what the page sends, a
// schema per message the server sends (types inferred from them), and the tensor frames (a
// layer "NLLY", a unit "NLUN", a dream "NLDR", an explanation "NLEX", a sanity check "NLSN", an
// operation "NLOP").

import { z } from 'zod';
import type { ViewProtocol } from '../../lib/socket';
import { ErrorMessage, ProtocolError, decodeTensorFrame, helloFields, type TensorFrame } from '../../lib/wire';

export const PROTOCOL_VERSION = 1;

export type LurkInput = { test: number } | { width: number; height: number; pixels: number[] };

export type LurkClientMessage =
  | { type: 'open'; model: string }
  | { type: 'open_run'; run: string }
  | { type: 'layer'; layer: number }
  | { type: 'unit'; layer: number; unit: number }
  | { type: 'dream'; layer: number; unit: number; count?: number; diversity?: number }
  | { type: 'sample'; label: number }
  | { type: 'dream_layer'; layer: number }
  | ({ type: 'explain'; method: string; cam_layer?: number; target?: number } & LurkInput)
  | { type: 'operate'; layer: number; unit: number; y: number; x: number }
  | { type: 'sanity'; method: string; cam_layer?: number; target?: number }
  | { type: 'checkpoint'; index: number }
  | { type: 'train'; data: 'mnist' | 'fashion-mnist'; model: 'mlp' | 'cnn' }
  | { type: 'stop' };

const count = z.number().int().nonnegative();

/** `weight_max`: the largest |w| of the layer's weights (0 without weights). */
const NetworkLayer = z.object({ index: count, name: z.string(), kind: z.string(), shape: z.array(count), params: count, weight_max: z.number() });
export type NetworkLayer = z.infer<typeof NetworkLayer>;

const ScoredLayer = z.object({
  layer: count,
  scored_layer: count,
  name: z.string(),
  kind: z.enum(['conv', 'dense']),
  units: count,
  height: count,
  width: count,
});
export type ScoredLayer = z.infer<typeof ScoredLayer>;

const Network = z.object({
  type: z.literal('network'),
  model: z.string(),
  input: z.array(count),
  layers: z.array(NetworkLayer),
  scored: z.array(ScoredLayer),
  classes: z.array(z.string()),
  cam_layers: z.array(count),
  cam_default: count.nullable(),
  methods: z.array(z.string()),
  dataset: z.string(),
  split: z.string(),
  images: count,
  /** The checkpoints of the model's training saved beside it (by the Digits view), oldest first. */
  checkpoints: z.array(z.object({ examples: count, epoch: count })),
  /** A run that goes on as the view shows it (trained here, or written by another session): its newest checkpoint is followed. */
  live: z.boolean(),
});
export type NetworkInfo = z.infer<typeof Network>;

const Progress = z.object({ type: z.literal('progress'), done: count, total: count, cached: z.boolean() });

/** [y0, x0, y1, x1]: input rows y0..y1-1, columns x0..x1-1. */
const Box = z.tuple([z.number().int(), z.number().int(), z.number().int(), z.number().int()]);
export type Box = z.infer<typeof Box>;

const TopEntry = z.object({
  image: count,
  label: z.number().int(),
  score: z.number(),
  y: z.number().int().optional(),
  x: z.number().int().optional(),
  box: Box.optional(),
});
export type TopEntry = z.infer<typeof TopEntry>;

const LayerUnit = z.object({ unit: count, mean: z.number(), dead_fraction: z.number(), class_mean: z.array(z.number()), top: TopEntry.nullable() });
export type LayerUnit = z.infer<typeof LayerUnit>;

const Field = z.object({ size: count, jump: count, whole: z.boolean() });

const Layer = z.object({
  type: z.literal('layer'),
  layer: count,
  name: z.string(),
  kind: z.enum(['conv', 'dense']),
  field: Field,
  units: z.array(LayerUnit),
});
export type LayerMessage = z.infer<typeof Layer>;

const Unit = z.object({
  type: z.literal('unit'),
  seq: count,
  layer: count,
  unit: count,
  name: z.string(),
  kind: z.enum(['conv', 'dense']),
  mean: z.number(),
  dead_fraction: z.number(),
  class_max: z.array(z.number()),
  class_mean: z.array(z.number()),
  top_max: z.array(TopEntry),
  top_mean: z.array(TopEntry),
  bias: z.number().nullable(),
  /** The largest |gradient| (vanilla, guided) over the top images of the layer's units, and of every layer's. */
  gradient_max: z.object({ layer: z.tuple([z.number(), z.number()]), global: z.tuple([z.number(), z.number()]) }),
});
export type UnitMessage = z.infer<typeof Unit>;

const Dream = z.object({
  type: z.literal('dream'),
  seq: count,
  layer: count,
  unit: count,
  value: z.number(),
  initial_value: z.number(),
  top_score: z.number(),
  stddev: z.number(),
  flat: z.boolean(),
  box: Box,
  /** The diversity term's weight, and each image's value (one for a single dream, more for a diversity set). */
  diversity: z.number(),
  values: z.array(z.number()),
});
export type DreamMessage = z.infer<typeof Dream>;

const Explanation = z.object({
  type: z.literal('explanation'),
  seq: count,
  method: z.string(),
  target: count,
  predicted: count,
  cam_layer: count.nullable(),
  test: count.nullable(),
  test_label: z.number().int().nullable(),
  /** The last layer's outputs; `probabilities` is their softmax. */
  logits: z.array(z.number()),
  probabilities: z.array(z.number()),
  output: z.number(),
  forward_passes: count,
});
export type ExplanationMessage = z.infer<typeof Explanation>;

const Operation = z.object({
  type: z.literal('operation'),
  seq: count,
  layer: count,
  unit: count,
  y: count,
  x: count,
  kernel: count,
  stride: count,
  padding: count,
  channels: count,
  bias: z.number(),
  /** The engine's value of the unit there, before and after the activation that follows it. */
  value: z.number(),
  activation: z.number(),
  activation_name: z.string(),
  /** The max-pool window after the activation that holds (y, x): its values (row by row), the first maximum's index, the pool's output there. */
  pool: z
    .object({ layer: count, name: z.string(), filter: count, stride: count, y: count, x: count, values: z.array(z.number()), argmax: count, output: z.number() })
    .nullable(),
  /** The largest |value| of the layer's maps after the activation on this input, and of every layer's. */
  map_max: z.object({ layer: z.number(), global: z.number() }),
});
export type OperationMessage = z.infer<typeof Operation>;

const CheckpointEntry = z.object({ examples: count, epoch: count });

/** The checkpoint now shown, -1 for the trained model; `follow`: a run trained here, followed. Its pass's progress follows. */
const Checkpoint = z.object({ type: z.literal('checkpoint'), shown: z.number().int(), follow: z.boolean() });

/** A run trained in this session: every checkpoint so far. */
const Checkpoints = z.object({ type: z.literal('checkpoints'), list: z.array(CheckpointEntry) });

const Training = z.object({
  type: z.literal('training'),
  /** following: a run another session writes (model "run"); done: the run has ended. */
  phase: z.enum(['training', 'following', 'done']),
  data: z.string(),
  model: z.enum(['mlp', 'cnn', 'run']),
  /** With model "run": the run directory followed. */
  run: z.string().optional(),
  epoch: count.optional(),
  epochs: count.optional(),
  step: count.optional(),
  steps: count.optional(),
  examples: count.optional(),
});
export type TrainingMessage = z.infer<typeof Training>;

const Sample = z.object({ type: z.literal('sample'), label: count, index: count });
/** The sanity check: the trained model's map (step 0), then one per layer randomised from the top; the maps come in an NLSN frame. */
const Sanity = z.object({
  type: z.literal('sanity'),
  seq: count,
  method: z.string(),
  cam_layer: count.nullable(),
  steps: z.array(z.object({ layer: z.number().int(), name: z.string(), correlation: z.number() })),
});
export type SanityMessage = z.infer<typeof Sanity>;
/** One unit's dream of a whole layer's (its image in an NLLD frame), with the count so far. */
const LayerDream = z.object({ type: z.literal('layer_dream'), seq: count, layer: count, unit: count, done: count, units: count, value: z.number(), flat: z.boolean() });
export type LayerDreamMessage = z.infer<typeof LayerDream>;

export const MESSAGES = {
  hello: z.object({ ...helloFields, models: z.array(z.string()), runs: z.array(z.string()) }),
  network: Network,
  progress: Progress,
  layer: Layer,
  unit: Unit,
  dream: Dream,
  explanation: Explanation,
  sample: Sample,
  sanity: Sanity,
  layer_dream: LayerDream,
  operation: Operation,
  checkpoint: Checkpoint,
  checkpoints: Checkpoints,
  training: Training,
  error: ErrorMessage,
};

const MAGICS = ['NLLY', 'NLUN', 'NLDR', 'NLLD', 'NLEX', 'NLSN', 'NLOP'];

export function decodeLurkFrame(buffer: ArrayBuffer): TensorFrame {
  const frame = decodeTensorFrame(buffer);
  if (!MAGICS.includes(frame.magic)) throw new ProtocolError(`lurk frame: unknown magic "${frame.magic}"`);
  return frame;
}

export const LURK: ViewProtocol<typeof MESSAGES, TensorFrame> = {
  view: 'lurk',
  title: 'Lurk',
  protocol: PROTOCOL_VERSION,
  path: '/ws/lurk',
  messages: MESSAGES,
  binary: decodeLurkFrame,
};
