// The Playground's binary messages (docs/protocol.md): the frame's body "NLFR", a checkpoint
// drawn by the server "NLCP", and a timeline GIF "NLGF". Each decoder throws ProtocolError on a
// bad magic or size.

import type { Heatmap } from '../../lib/heatmap';
import { ProtocolError, binaryKind } from '../../lib/wire';

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

export const FRAME_MAGIC = 'NLFR';
export const FRAME_HEADER_BYTES = 28;

/**
 * Decodes "NLFR", uint32 LE seq, grid, outputs, unit_grid, nodes, params; then outputs × grid²
 * float32 LE outputs, params float32 LE, nodes × unit_grid² uint8 codes.
 */
export function decodeFrame(buffer: ArrayBuffer): Frame {
  const n = buffer.byteLength;
  if (n < FRAME_HEADER_BYTES) {
    throw new ProtocolError(`frame: ${n} bytes, shorter than its ${FRAME_HEADER_BYTES}-byte header`);
  }
  const view = new DataView(buffer);
  const magic = binaryKind(buffer);
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
  return {
    seq,
    output: { seq, width: grid, height: grid, maps: outputs, values: new Float32Array(buffer, FRAME_HEADER_BYTES, out) },
    params: new Float32Array(buffer, FRAME_HEADER_BYTES + 4 * out, params),
    unitGrid,
    nodes,
    units: new Uint8Array(buffer, FRAME_HEADER_BYTES + 4 * (out + params), nodes * unitGrid * unitGrid),
  };
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

/** "NLCP", uint32 LE timeline, index, float32 LE t, uint32 LE width, height; RGBA bytes; an NLFR frame. */
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

export interface TimelineGif {
  timeline: number;
  frames: number;
  gif: Uint8Array;
}

/** "NLGF", uint32 LE timeline, frames, then the GIF file. */
export function decodeGif(buffer: ArrayBuffer): TimelineGif {
  if (buffer.byteLength < 12 || binaryKind(buffer) !== 'NLGF') throw new ProtocolError('gif: not an NLGF message');
  const view = new DataView(buffer);
  return { timeline: view.getUint32(4, true), frames: view.getUint32(8, true), gif: new Uint8Array(buffer, 12) };
}

export type Binary = { kind: 'frame'; frame: Frame } | { kind: 'checkpoint'; view: CheckpointView } | { kind: 'gif'; gif: TimelineGif };

/** Any binary message of /ws, by its magic. */
export function decodeBinary(buffer: ArrayBuffer): Binary {
  const kind = binaryKind(buffer);
  if (kind === 'NLCP') return { kind: 'checkpoint', view: decodeCheckpoint(buffer) };
  if (kind === 'NLGF') return { kind: 'gif', gif: decodeGif(buffer) };
  return { kind: 'frame', frame: decodeFrame(buffer) };
}
