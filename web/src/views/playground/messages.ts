// The Playground's messages at /ws, protocol 3 (docs/protocol.md): what the page sends, and a
// schema per message the server sends, from which their types are inferred. Unknown fields are
// ignored, as the protocol asks.

import { z } from 'zod';
import { Domain, ErrorMessage, LayerShape, Point, helloFields, nullableNumber } from '../../lib/wire';
import type { ViewProtocol } from '../../lib/socket';
import { decodeBinary, type Binary } from './frames';

export const PROTOCOL_VERSION = 3;

// ---- client to server ----

export type Interpolation = 'linear' | 'geometric' | 'cubic';
export type MapMode = 'boundary' | 'region';

/** How the server draws timeline maps (docs/protocol.md, "Timeline"); omitted fields take defaults. */
export interface TimelineStyle {
  interp?: Interpolation;
  mode?: MapMode;
  measure?: 'max' | 'margin';
  shading?: 'argmax' | 'smooth' | 'intensity';
  colour_map?: 'magma' | 'viridis' | 'gray';
  background?: 'dark' | 'light';
}

export type ClientMessage =
  | { type: 'play' }
  | { type: 'pause' }
  | { type: 'step' }
  | { type: 'reset' }
  | { type: 'set_spec'; spec: Record<string, unknown> }
  | { type: 'set_run'; epochs_per_frame?: number; stop_epoch?: number; stop_test_loss?: number }
  | { type: 'set_param'; layer: number; unit: number; input?: number; value: number }
  | { type: 'add_point'; x1: number; x2: number; label: number }
  | { type: 'upload_csv'; name: string; text: string; rescale?: boolean }
  | { type: 'prune'; layer?: number; count: number; by?: 'weight' | 'activation' }
  | { type: 'export' }
  | { type: 'list_runs' }
  | { type: 'open_run'; run: string; follow?: boolean }
  | { type: 'import'; model: Record<string, unknown> }
  | ({ type: 'checkpoint'; index: number; t?: number } & TimelineStyle)
  | ({ type: 'export_gif'; interp_factor?: number; frame_ms?: number } & TimelineStyle);

// ---- server to client ----

const names = z.array(z.string());
const json = z.record(z.string(), z.unknown());
/** A loss: null (not finite: a diverged run) reads as NaN. */
const loss = nullableNumber.transform((v) => v ?? NaN);
const integerRows = z.array(z.array(z.number().int()));

const Hello = z
  .object({
    ...helloFields,
    datasets: z.array(z.object({ name: z.string(), problem: z.string(), classes: z.number(), preview: z.array(Point) })),
    features: names,
    /** Each feature's map over unit_grid² points, as unit codes. */
    feature_maps: z.record(z.string(), z.array(z.number().int().min(0).max(255))),
    unit_grid: z.number().int().min(0),
    /** The largest message the server reads (an upload or an import is one message). */
    max_message_bytes: z.number().int().positive(),
    /** The names each spec choice accepts. */
    choices: z.object({ activation: names, loss: names, optimizer: names, regularization: names, init: names }),
  })
  .superRefine((h, ctx) => {
    for (const f of h.features)
      if (h.feature_maps[f]?.length !== h.unit_grid ** 2)
        ctx.addIssue({ code: 'custom', path: ['feature_maps', f], message: `expected ${h.unit_grid ** 2} codes` });
  })
  .transform((h) => ({
    ...h,
    feature_maps: Object.fromEntries(Object.entries(h.feature_maps).map(([f, codes]) => [f, Uint8Array.from(codes)])),
  }));

/** The run spec (README, "Run spec"): the keys the page reads are checked, the others kept as sent. */
const RunSpec = z.looseObject({
  dataset: z.string(),
  problem: z.string(),
  noise: z.number(),
  train_ratio: z.number(),
  batch_size: z.number(),
  features: names,
  hidden_layers: z.array(z.object({ units: z.number().int(), activation: z.string() })),
  activation: z.string().optional(),
  loss: z.string(),
  optimizer: z.string(),
  learning_rate: z.number(),
  regularization: z.string(),
  regularization_rate: z.number(),
  seed: z.number(),
  /** How the initial weights are drawn (xavier, playground, he). */
  init: z.string(),
});

const Spec = z.object({
  type: z.literal('spec'),
  /** Counts the session's runs: a new value means a new run (the chart starts over). */
  run: z.number(),
  spec: RunSpec,
  layers: z.array(LayerShape),
  /** 0 for regression, 2 for binary classification, k for k classes. */
  classes: z.number().int(),
  domain: Domain,
  grid: z.number().int().positive(),
  unit_grid: z.number().int(),
  /** The uploaded CSV's name when the points came from one. */
  uploaded: z.string().nullable(),
  /** How the uploaded points were moved into the domain (upload_csv with rescale), if they were. */
  rescaled: z.object({ x1: z.tuple([z.number(), z.number()]), x2: z.tuple([z.number(), z.number()]), scale: z.number() }).nullable(),
  added_points: z.number().int(),
});

const Data = z.object({ type: z.literal('data'), problem: z.string(), train: z.array(Point), test: z.array(Point) });

const State = z.object({
  type: z.literal('state'),
  seq: z.number(),
  epoch: z.number(),
  running: z.boolean(),
  train_loss: loss,
  test_loss: loss,
  train_accuracy: z.number().optional(),
  test_accuracy: z.number().optional(),
  /** confusion[target][predicted] over the test set (classification). */
  confusion: integerRows.optional(),
  /** Pruned unit indices per hidden layer. */
  pruned: integerRows,
  /** Weights L1 set to 0 for good (exactly 0 in the frame's params) until reset. */
  dead_links: z.number().int().min(0),
  epochs_per_frame: z.number(),
  stop_epoch: z.number(),
  stop_test_loss: z.number(),
  /** Why a stop rule paused the run, on the frame where it did. */
  stopped: z.string().optional(),
  /** Why the run cannot learn (units dead, output saturated), once per run, on the frame that found it. */
  notice: z.string().optional(),
  /** The ingested run this session follows: its training runs elsewhere (open_run with follow). */
  following: z.string().optional(),
  /** With following: what its client dropped, by kind ({"scalars": 3, "snapshots_superseded": 12}). */
  following_dropped: z.record(z.string(), z.number()).optional(),
});

/** The server's saved runs (list_runs), newest first: each goes on from its last checkpoint (open_run). */
const Runs = z.object({
  type: z.literal('runs'),
  runs: z.array(z.object({ name: z.string(), epoch: z.number().int(), saved: z.number(), spec: json })),
});

const Export = z.object({ type: z.literal('export'), model: json, pytorch: z.string() });

const Checkpoint = z.object({ index: z.number().int(), epoch: z.number(), examples: z.number(), train_loss: loss, test_loss: loss });

/** The run's checkpoints so far; `timeline` changes with each new run or reset. */
const Timeline = z.object({
  type: z.literal('timeline'),
  timeline: z.number().int(),
  /** Training examples in an epoch: a checkpoint is at epoch examples / train_size. */
  train_size: z.number().positive(),
  checkpoints: z.array(Checkpoint),
});

export const MESSAGES = { hello: Hello, spec: Spec, data: Data, state: State, export: Export, timeline: Timeline, runs: Runs, error: ErrorMessage };

export type HelloMessage = z.infer<typeof Hello>;
export type SpecMessage = z.infer<typeof Spec>;
export type StateMessage = z.infer<typeof State>;
export type TimelineMessage = z.infer<typeof Timeline>;
export type RunsMessage = z.infer<typeof Runs>;
export type CheckpointInfo = z.infer<typeof Checkpoint>;

export const PLAYGROUND: ViewProtocol<typeof MESSAGES, Binary> = {
  view: 'playground',
  title: 'Playground',
  protocol: PROTOCOL_VERSION,
  path: '/ws',
  messages: MESSAGES,
  binary: decodeBinary,
};
