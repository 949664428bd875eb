// The Digits messages at /ws/digits, protocol 2 (docs/protocol.md, "Digits"): what the page
// sends, a schema per message the server sends (types inferred from them), and the tensor frames
// (activations "NLDA", weights "NLDW").

import { z } from 'zod';
import type { ViewProtocol } from '../../lib/socket';
import { ErrorMessage, ProtocolError, decodeTensorFrame, helloFields, type TensorFrame } from '../../lib/wire';

export const PROTOCOL_VERSION = 2;

export type DigitsClientMessage =
  | { type: 'infer'; width: number; height: number; pixels: number[] }
  | { type: 'sample'; label: number }
  | { type: 'train' | 'load'; data: 'mnist' | 'fashion-mnist'; model: 'mlp' | 'cnn' }
  | { type: 'open'; file: string }
  | { type: 'open_run'; run: string }
  | { type: 'stop' }
  | { type: 'checkpoint'; index: number };

const Stage = z.object({
  kind: z.enum(['input', 'conv', 'pool', 'dense', 'output']),
  name: z.string(),
  shape: z.array(z.number().int().nonnegative()),
  /** Conv and pool stages: how the window slides over the stage before. */
  kernel: z.number().int().positive().optional(),
  stride: z.number().int().positive().optional(),
  padding: z.number().int().nonnegative().optional(),
}).refine((s) => (s.kind !== 'conv' && s.kind !== 'pool') || (s.kernel !== undefined && s.stride !== undefined && s.padding !== undefined), {
  message: 'a conv or pool stage needs its kernel, stride and padding',
});
export type StageInfo = z.infer<typeof Stage>;

const Model = z.object({
  type: z.literal('model'),
  data: z.string(),
  model: z.string(),
  classes: z.array(z.string()),
  input_size: z.number().int(),
  stages: z.array(Stage),
  /** null while the network is being trained. */
  trained: z.object({ epochs: z.number(), test_accuracy: z.number() }).nullable(),
  /** The run of the runs folder it was opened from (open_run), else null. */
  run: z.string().nullable(),
});

const Progress = z.object({
  type: z.literal('progress'),
  data: z.string(),
  model: z.string(),
  phase: z.enum(['loading', 'training', 'done']),
  epoch: z.number().optional(),
  epochs: z.number().optional(),
  step: z.number().optional(),
  steps: z.number().optional(),
  validation_loss: z.number().optional(),
  validation_accuracy: z.number().optional(),
  test_accuracy: z.number().optional(),
  /** With done: which model is served now, the run or the saved one it did not beat. */
  kept: z.enum(['run', 'saved']).optional(),
  saved_test_accuracy: z.number().optional(),
  /** While training: the run directory it is written to, which Lurk follows (lurk.html#run=NAME). */
  run: z.string().optional(),
});

const Prediction = z.object({ type: z.literal('prediction'), seq: z.number(), checkpoint: z.number().int(), probabilities: z.array(z.number()) });

const Checkpoint = z.object({
  examples: z.number(), // training images seen
  epoch: z.number(), // epochs completed
  loss: z.number().optional(), // the last epoch's validation loss (the test loss for the final one)
});
export type CheckpointInfo = z.infer<typeof Checkpoint>;

const Checkpoints = z.object({ type: z.literal('checkpoints'), shown: z.number().int(), list: z.array(Checkpoint) });

const Sample = z.object({ type: z.literal('sample'), label: z.number().int(), index: z.number().int(), pixels: z.array(z.number()) });

/** The models folder's .nlmodel and .onnx files, sorted. */
const Models = z.object({ type: z.literal('models'), files: z.array(z.string()) });

export const MESSAGES = {
  hello: z.object(helloFields),
  models: Models,
  model: Model,
  progress: Progress,
  prediction: Prediction,
  checkpoints: Checkpoints,
  sample: Sample,
  error: ErrorMessage,
};

/** An activations or a weights frame. */
export function decodeDigitsFrame(buffer: ArrayBuffer): TensorFrame {
  const frame = decodeTensorFrame(buffer);
  if (frame.magic !== 'NLDA' && frame.magic !== 'NLDW') throw new ProtocolError(`digits frame: unknown magic "${frame.magic}"`);
  return frame;
}

export const DIGITS: ViewProtocol<typeof MESSAGES, TensorFrame> = {
  view: 'digits',
  title: 'Digits',
  protocol: PROTOCOL_VERSION,
  path: '/ws/digits',
  messages: MESSAGES,
  binary: decodeDigitsFrame,
};
