// Messages of the netlens live protocol, version 2 (docs/protocol.md), and their decoders.
// Decoders check what the page relies on and throw ProtocolError naming the field at fault;
// unknown fields are ignored, as the protocol asks.

export const PROTOCOL_VERSION = 2;

export class ProtocolError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ProtocolError';
  }
}

// ---- client to server ----

export type ClientMessage =
  | { type: 'play' }
  | { type: 'pause' }
  | { type: 'step' }
  | { type: 'reset' }
  | { type: 'set_spec'; spec: Record<string, unknown> }
  | { type: 'set_run'; epochs_per_frame?: number; stop_epoch?: number; stop_test_loss?: number }
  | { type: 'set_param'; layer: number; unit: number; input?: number; value: number }
  | { type: 'add_point'; x1: number; x2: number; label: number }
  | { type: 'upload_csv'; name: string; text: string }
  | { type: 'prune'; layer?: number; count: number; by?: 'weight' | 'activation' }
  | { type: 'export' }
  | { type: 'import'; model: Record<string, unknown> }
  | ({ type: 'checkpoint'; index: number; t?: number } & TimelineStyle)
  | ({ type: 'export_gif'; interp_factor?: number; frame_ms?: number } & TimelineStyle);

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

// ---- server to client ----

export interface Domain {
  x_min: number;
  x_max: number;
  y_min: number;
  y_max: number;
}

/** A data point as sent: [x1, x2, label], label in [-1, 1]. */
export type Point = [number, number, number];

export interface DatasetInfo {
  name: string;
  problem: string;
  /** Classes of a classification set (2 for ±1 labels); regression sets say what the server says. */
  classes: number;
  preview: Point[];
}

export interface HelloMessage {
  type: 'hello';
  protocol: number;
  version: string;
  datasets: DatasetInfo[];
  features: string[];
  /** Each feature's map over unit_grid² points, as unit codes. */
  feature_maps: Record<string, Uint8Array>;
  unit_grid: number;
  /** The names each spec choice accepts. */
  choices: { activation: string[]; loss: string[]; optimizer: string[]; regularization: string[] };
}

/** A weight layer's size: `in` inputs, `out` units. */
export interface LayerShape {
  in: number;
  out: number;
}

export interface SpecMessage {
  type: 'spec';
  /** Counts the session's runs: a new value means a new run (the chart starts over). */
  run: number;
  spec: Record<string, unknown>;
  layers: LayerShape[];
  /** 0 for regression, 2 for binary classification, k for k classes. */
  classes: number;
  domain: Domain;
  grid: number;
  unit_grid: number;
  /** The uploaded CSV's name when the points came from one. */
  uploaded: string | null;
  added_points: number;
}

export interface DataMessage {
  type: 'data';
  problem: string;
  train: Point[];
  test: Point[];
}

export interface StateMessage {
  type: 'state';
  seq: number;
  epoch: number;
  running: boolean;
  /** NaN when the server sent null (a diverged run). */
  train_loss: number;
  test_loss: number;
  train_accuracy?: number;
  test_accuracy?: number;
  /** confusion[target][predicted] over the test set (classification). */
  confusion?: number[][];
  /** Pruned unit indices per hidden layer. */
  pruned: number[][];
  epochs_per_frame: number;
  stop_epoch: number;
  stop_test_loss: number;
  /** Why a stop rule paused the run, on the frame where it did. */
  stopped?: string;
}

export interface ExportMessage {
  type: 'export';
  model: Record<string, unknown>;
  pytorch: string;
}

/** A recorded checkpoint of the live run. */
export interface CheckpointInfo {
  index: number;
  epoch: number;
  examples: number;
  train_loss: number;
  test_loss: number;
}

/** The run's checkpoints so far; `timeline` changes with each new run or reset. */
export interface TimelineMessage {
  type: 'timeline';
  timeline: number;
  /** Training examples in an epoch: a checkpoint is at epoch examples / train_size. */
  train_size: number;
  checkpoints: CheckpointInfo[];
}

export interface ErrorMessage {
  type: 'error';
  message: string;
}

/** A message of a type this page does not know; kept so the caller can say so. */
export interface UnknownMessage {
  type: 'unknown';
  original_type: string;
}

export type ServerMessage =
  | HelloMessage
  | SpecMessage
  | DataMessage
  | StateMessage
  | ExportMessage
  | TimelineMessage
  | ErrorMessage
  | UnknownMessage;

/**
 * The network's output over the grid: row 0 is y_max, column 0 is x_min. One map of values in
 * [-1, 1], or (more than two classes) one probability map per class, class-major.
 */
export interface Heatmap {
  seq: number;
  width: number;
  height: number;
  maps: number;
  values: Float32Array; // maps * width * height, row-major
}

/** A frame's binary half: the output heatmap, every parameter, and every node's thumbnail. */
export interface Frame {
  seq: number;
  output: Heatmap;
  /** Every weight layer's weights ((in, out) row-major) then biases, in layer order. */
  params: Float32Array;
  unitGrid: number;
  nodes: number;
  /** nodes × unitGrid² codes; value = code / 127.5 − 1. */
  units: Uint8Array;
}

type Json = Record<string, unknown>;

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function num(obj: Json, key: string, where: string): number {
  const v = obj[key];
  if (typeof v !== 'number' || !Number.isFinite(v)) {
    throw new ProtocolError(`${where}.${key}: expected a number, got ${describe(v)}`);
  }
  return v;
}

/** A loss: a number, or null for a value JSON cannot carry (NaN, inf) which reads as NaN. */
function loss(obj: Json, key: string, where: string): number {
  if (obj[key] === null) return NaN;
  return num(obj, key, where);
}

function optionalNum(obj: Json, key: string, where: string): number | undefined {
  if (obj[key] === undefined || obj[key] === null) return undefined;
  return num(obj, key, where);
}

function str(obj: Json, key: string, where: string): string {
  const v = obj[key];
  if (typeof v !== 'string') {
    throw new ProtocolError(`${where}.${key}: expected a string, got ${describe(v)}`);
  }
  return v;
}

function describe(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'string') return `"${v.length > 40 ? v.slice(0, 40) + '…' : v}"`;
  return typeof v === 'object' ? 'an object' : `${typeof v} ${String(v)}`;
}

function array(obj: Json, key: string, where: string): unknown[] {
  const v = obj[key];
  if (!Array.isArray(v)) throw new ProtocolError(`${where}.${key}: expected an array, got ${describe(v)}`);
  return v;
}

function integerMatrix(obj: Json, key: string, where: string): number[][] {
  return array(obj, key, where).map((row, i) => {
    if (!Array.isArray(row) || !row.every((x) => Number.isInteger(x))) {
      throw new ProtocolError(`${where}.${key}[${i}]: expected an array of integers, got ${describe(row)}`);
    }
    return row as number[];
  });
}

function points(obj: Json, key: string, where: string): Point[] {
  const v = obj[key];
  if (!Array.isArray(v)) {
    throw new ProtocolError(`${where}.${key}: expected an array, got ${describe(v)}`);
  }
  return v.map((p, i) => {
    if (!Array.isArray(p) || p.length < 3 || !p.slice(0, 3).every((c) => typeof c === 'number')) {
      throw new ProtocolError(`${where}.${key}[${i}]: expected [x1, x2, label], got ${describe(p)}`);
    }
    return [p[0], p[1], p[2]] as Point;
  });
}

/** Parses one JSON text message from the server. Throws ProtocolError when it is malformed. */
export function parseServerMessage(text: string): ServerMessage {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new ProtocolError(`server message is not JSON: ${(e as Error).message}`);
  }
  if (!isObject(raw)) throw new ProtocolError(`server message: expected an object, got ${describe(raw)}`);
  const type = raw.type;
  if (typeof type !== 'string') throw new ProtocolError(`server message.type: expected a string, got ${describe(type)}`);

  switch (type) {
    case 'hello': {
      const datasets = array(raw, 'datasets', type).map((d, i) => {
        const at = `hello.datasets[${i}]`;
        if (!isObject(d)) throw new ProtocolError(`${at}: expected an object, got ${describe(d)}`);
        return {
          name: str(d, 'name', at),
          problem: str(d, 'problem', at),
          classes: num(d, 'classes', at),
          preview: points(d, 'preview', at),
        };
      });
      const features = array(raw, 'features', type).map((f, i) => {
        if (typeof f !== 'string') throw new ProtocolError(`hello.features[${i}]: expected a string, got ${describe(f)}`);
        return f;
      });
      const c = raw.choices;
      if (!isObject(c)) throw new ProtocolError(`hello.choices: expected an object, got ${describe(c)}`);
      const names = (key: string) =>
        array(c, key, 'hello.choices').map((x, i) => {
          if (typeof x !== 'string') throw new ProtocolError(`hello.choices.${key}[${i}]: expected a string`);
          return x;
        });
      const choices = {
        activation: names('activation'),
        loss: names('loss'),
        optimizer: names('optimizer'),
        regularization: names('regularization'),
      };
      const unitGrid = num(raw, 'unit_grid', type);
      const maps = raw.feature_maps;
      if (!isObject(maps)) throw new ProtocolError(`hello.feature_maps: expected an object, got ${describe(maps)}`);
      const featureMaps: Record<string, Uint8Array> = {};
      for (const f of features) {
        const codes = maps[f];
        if (!Array.isArray(codes) || codes.length !== unitGrid * unitGrid) {
          throw new ProtocolError(`hello.feature_maps.${f}: expected ${unitGrid * unitGrid} codes`);
        }
        featureMaps[f] = Uint8Array.from(codes as number[]);
      }
      return {
        type,
        protocol: num(raw, 'protocol', type),
        version: str(raw, 'version', type),
        datasets,
        features,
        feature_maps: featureMaps,
        unit_grid: unitGrid,
        choices,
      };
    }
    case 'spec': {
      const spec = raw.spec;
      if (!isObject(spec)) throw new ProtocolError(`spec.spec: expected an object, got ${describe(spec)}`);
      const d = raw.domain;
      if (!isObject(d)) throw new ProtocolError(`spec.domain: expected an object, got ${describe(d)}`);
      const domain: Domain = {
        x_min: num(d, 'x_min', 'spec.domain'),
        x_max: num(d, 'x_max', 'spec.domain'),
        y_min: num(d, 'y_min', 'spec.domain'),
        y_max: num(d, 'y_max', 'spec.domain'),
      };
      if (!(domain.x_min < domain.x_max) || !(domain.y_min < domain.y_max)) {
        throw new ProtocolError(`spec.domain: min must be below max, got ${JSON.stringify(domain)}`);
      }
      const grid = num(raw, 'grid', type);
      if (!Number.isInteger(grid) || grid < 1) throw new ProtocolError(`spec.grid: expected a positive integer, got ${grid}`);
      const unitGrid = num(raw, 'unit_grid', type);
      const layers = array(raw, 'layers', type).map((l, i) => {
        const at = `spec.layers[${i}]`;
        if (!isObject(l)) throw new ProtocolError(`${at}: expected an object, got ${describe(l)}`);
        return { in: num(l, 'in', at), out: num(l, 'out', at) };
      });
      const uploaded = raw.uploaded === null || raw.uploaded === undefined ? null : str(raw, 'uploaded', type);
      return {
        type,
        run: num(raw, 'run', type),
        spec,
        layers,
        classes: num(raw, 'classes', type),
        domain,
        grid,
        unit_grid: unitGrid,
        uploaded,
        added_points: num(raw, 'added_points', type),
      };
    }
    case 'data':
      return {
        type,
        problem: str(raw, 'problem', type),
        train: points(raw, 'train', type),
        test: points(raw, 'test', type),
      };
    case 'state': {
      const running = raw.running;
      if (typeof running !== 'boolean') {
        throw new ProtocolError(`state.running: expected a boolean, got ${describe(running)}`);
      }
      const msg: StateMessage = {
        type,
        seq: num(raw, 'seq', type),
        epoch: num(raw, 'epoch', type),
        running,
        train_loss: loss(raw, 'train_loss', type),
        test_loss: loss(raw, 'test_loss', type),
        pruned: integerMatrix(raw, 'pruned', type),
        epochs_per_frame: num(raw, 'epochs_per_frame', type),
        stop_epoch: num(raw, 'stop_epoch', type),
        stop_test_loss: num(raw, 'stop_test_loss', type),
      };
      const trainAcc = optionalNum(raw, 'train_accuracy', type);
      const testAcc = optionalNum(raw, 'test_accuracy', type);
      if (trainAcc !== undefined) msg.train_accuracy = trainAcc;
      if (testAcc !== undefined) msg.test_accuracy = testAcc;
      if (raw.confusion !== undefined) msg.confusion = integerMatrix(raw, 'confusion', type);
      if (raw.stopped !== undefined) msg.stopped = str(raw, 'stopped', type);
      return msg;
    }
    case 'export': {
      const model = raw.model;
      if (!isObject(model)) throw new ProtocolError(`export.model: expected an object, got ${describe(model)}`);
      return { type, model, pytorch: str(raw, 'pytorch', type) };
    }
    case 'timeline': {
      const checkpoints = array(raw, 'checkpoints', type).map((c, i) => {
        const at = `timeline.checkpoints[${i}]`;
        if (!isObject(c)) throw new ProtocolError(`${at}: expected an object, got ${describe(c)}`);
        return {
          index: num(c, 'index', at),
          epoch: num(c, 'epoch', at),
          examples: num(c, 'examples', at),
          train_loss: loss(c, 'train_loss', at),
          test_loss: loss(c, 'test_loss', at),
        };
      });
      return { type, timeline: num(raw, 'timeline', type), train_size: num(raw, 'train_size', type), checkpoints };
    }
    case 'error':
      return { type, message: str(raw, 'message', type) };
    default:
      return { type: 'unknown', original_type: type };
  }
}

export const FRAME_MAGIC = 'NLFR';
export const FRAME_HEADER_BYTES = 28;

/**
 * Decodes a binary frame: "NLFR", uint32 LE seq, grid, outputs, unit_grid, nodes, params; then
 * outputs × grid² float32 LE outputs, params float32 LE, nodes × unit_grid² uint8 codes. Throws
 * ProtocolError on a bad magic or size.
 */
export function decodeFrame(buffer: ArrayBuffer): Frame {
  const n = buffer.byteLength;
  if (n < FRAME_HEADER_BYTES) {
    throw new ProtocolError(`frame: ${n} bytes, shorter than its ${FRAME_HEADER_BYTES}-byte header`);
  }
  const view = new DataView(buffer);
  const magic = String.fromCharCode(view.getUint8(0), view.getUint8(1), view.getUint8(2), view.getUint8(3));
  if (magic !== FRAME_MAGIC) {
    throw new ProtocolError(`frame: bad magic ${JSON.stringify(magic)}, expected "${FRAME_MAGIC}"`);
  }
  const [seq, grid, outputs, unitGrid, nodes, params] = [4, 8, 12, 16, 20, 24].map((at) => view.getUint32(at, true));
  if (grid === 0 || outputs === 0) throw new ProtocolError('frame: empty output grid');
  const out = outputs * grid * grid;
  const expected = FRAME_HEADER_BYTES + 4 * (out + params) + nodes * unitGrid * unitGrid;
  if (n !== expected) {
    throw new ProtocolError(
      `frame: ${outputs} output map(s) of ${grid}×${grid}, ${params} params and ${nodes} maps of ${unitGrid}×${unitGrid} need ${expected} bytes, got ${n}`,
    );
  }
  // The header is 28 bytes, so the float arrays start 4-byte aligned and can be viewed in place
  // (little-endian, as every browser's platform is).
  const output = new Float32Array(buffer, FRAME_HEADER_BYTES, out);
  const weights = new Float32Array(buffer, FRAME_HEADER_BYTES + 4 * out, params);
  const units = new Uint8Array(buffer, FRAME_HEADER_BYTES + 4 * (out + params), nodes * unitGrid * unitGrid);
  return {
    seq,
    output: { seq, width: grid, height: grid, maps: outputs, values: output },
    params: weights,
    unitGrid,
    nodes,
    units,
  };
}

/** The 4-byte magic that says what a binary message is: NLFR, NLCP or NLGF. */
export function binaryKind(buffer: ArrayBuffer): string {
  if (buffer.byteLength < 4) return '';
  const b = new Uint8Array(buffer, 0, 4);
  return String.fromCharCode(b[0], b[1], b[2], b[3]);
}

/** A checkpoint drawn by the server: its map as RGBA pixels and the network at the checkpoint. */
export interface CheckpointView {
  timeline: number;
  index: number;
  t: number;
  width: number;
  height: number;
  /** width × height × 4 bytes, row 0 the top; empty for a regression run. */
  rgba: Uint8ClampedArray;
  frame: Frame;
}

export const CHECKPOINT_HEADER_BYTES = 24;

/**
 * Decodes a `checkpoint` reply: "NLCP", uint32 LE timeline, index, float32 LE t, uint32 LE
 * width, height; width × height × 4 RGBA bytes; then an NLFR frame.
 */
export function decodeCheckpoint(buffer: ArrayBuffer): CheckpointView {
  if (buffer.byteLength < CHECKPOINT_HEADER_BYTES || binaryKind(buffer) !== 'NLCP') {
    throw new ProtocolError(`checkpoint: not an NLCP message of at least ${CHECKPOINT_HEADER_BYTES} bytes`);
  }
  const view = new DataView(buffer);
  const [timeline, index] = [4, 8].map((at) => view.getUint32(at, true));
  const t = view.getFloat32(12, true);
  const [width, height] = [16, 20].map((at) => view.getUint32(at, true));
  const pixels = width * height * 4;
  if (buffer.byteLength < CHECKPOINT_HEADER_BYTES + pixels) {
    throw new ProtocolError(`checkpoint: a ${width}×${height} map needs ${pixels} bytes, the message is shorter`);
  }
  return {
    timeline,
    index,
    t,
    width,
    height,
    rgba: new Uint8ClampedArray(buffer, CHECKPOINT_HEADER_BYTES, pixels),
    // The frame is copied out so that its float arrays start 4-byte aligned.
    frame: decodeFrame(buffer.slice(CHECKPOINT_HEADER_BYTES + pixels)),
  };
}

/** Decodes an `export_gif` reply: "NLGF", uint32 LE timeline, frames, then the GIF file. */
export function decodeGif(buffer: ArrayBuffer): { timeline: number; frames: number; gif: Uint8Array } {
  if (buffer.byteLength < 12 || binaryKind(buffer) !== 'NLGF') throw new ProtocolError('gif: not an NLGF message');
  const view = new DataView(buffer);
  return { timeline: view.getUint32(4, true), frames: view.getUint32(8, true), gif: new Uint8Array(buffer, 12) };
}
