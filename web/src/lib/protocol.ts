// Messages of the netlens live protocol, version 1 (docs/protocol.md), and their decoders.
// Decoders check what the page relies on and throw ProtocolError naming the field at fault;
// unknown fields are ignored, as the protocol asks.

export const PROTOCOL_VERSION = 1;

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
  | { type: 'set_spec'; spec: Record<string, unknown> };

// ---- server to client ----

export interface Domain {
  x_min: number;
  x_max: number;
  y_min: number;
  y_max: number;
}

/** A data point as sent: [x1, x2, label], label in [-1, 1]. */
export type Point = [number, number, number];

export interface HelloMessage {
  type: 'hello';
  protocol: number;
  version: string;
}

export interface SpecMessage {
  type: 'spec';
  spec: Record<string, unknown>;
  domain: Domain;
  grid: number;
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
  | ErrorMessage
  | UnknownMessage;

/** The network's output over the grid: row 0 is y_max, column 0 is x_min. */
export interface Heatmap {
  seq: number;
  width: number;
  height: number;
  values: Float32Array; // width * height, row-major
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
    case 'hello':
      return { type, protocol: num(raw, 'protocol', type), version: str(raw, 'version', type) };
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
      return { type, spec, domain, grid };
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
      };
      const trainAcc = optionalNum(raw, 'train_accuracy', type);
      const testAcc = optionalNum(raw, 'test_accuracy', type);
      if (trainAcc !== undefined) msg.train_accuracy = trainAcc;
      if (testAcc !== undefined) msg.test_accuracy = testAcc;
      return msg;
    }
    case 'error':
      return { type, message: str(raw, 'message', type) };
    default:
      return { type: 'unknown', original_type: type };
  }
}

export const HEATMAP_MAGIC = 'NLHM';
export const HEATMAP_HEADER_BYTES = 16;

/**
 * Decodes a binary heatmap message: "NLHM", uint32 LE seq, width, height, then
 * width*height float32 LE values, row-major. Throws ProtocolError on a bad magic or size.
 */
export function decodeHeatmap(buffer: ArrayBuffer): Heatmap {
  const n = buffer.byteLength;
  if (n < HEATMAP_HEADER_BYTES) {
    throw new ProtocolError(`heatmap frame: ${n} bytes, shorter than its ${HEATMAP_HEADER_BYTES}-byte header`);
  }
  const view = new DataView(buffer);
  const magic = String.fromCharCode(view.getUint8(0), view.getUint8(1), view.getUint8(2), view.getUint8(3));
  if (magic !== HEATMAP_MAGIC) {
    throw new ProtocolError(`heatmap frame: bad magic ${JSON.stringify(magic)}, expected "${HEATMAP_MAGIC}"`);
  }
  const seq = view.getUint32(4, true);
  const width = view.getUint32(8, true);
  const height = view.getUint32(12, true);
  if (width === 0 || height === 0) {
    throw new ProtocolError(`heatmap frame: empty grid ${width}×${height}`);
  }
  const expected = HEATMAP_HEADER_BYTES + width * height * 4;
  if (n !== expected) {
    throw new ProtocolError(`heatmap frame: a ${width}×${height} grid needs ${expected} bytes, got ${n}`);
  }
  const values = new Float32Array(width * height);
  for (let i = 0; i < values.length; i++) {
    values[i] = view.getFloat32(HEATMAP_HEADER_BYTES + 4 * i, true);
  }
  return { seq, width, height, values };
}
