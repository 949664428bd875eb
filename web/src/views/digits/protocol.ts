// The Digits protocol at /ws/digits (docs/protocol.md, "Digits"): the messages the page sends
// and receives, and the binary tensor frames (activations "NLDA", weights "NLDW").

import type { CheckpointInfo } from './checkpoints';

export interface StageInfo {
  kind: 'input' | 'conv' | 'pool' | 'dense' | 'output';
  name: string;
  shape: number[];
}

export type DigitsServerMessage =
  | { type: 'hello'; protocol: number; version: string }
  | {
      type: 'model';
      data: string;
      model: string;
      classes: string[];
      input_size: number;
      stages: StageInfo[];
      trained: { epochs: number; test_accuracy: number } | null;
    }
  | {
      type: 'progress';
      data: string;
      model: string;
      phase: 'loading' | 'training' | 'done';
      epoch?: number;
      epochs?: number;
      step?: number;
      steps?: number;
      validation_loss?: number;
      validation_accuracy?: number;
      test_accuracy?: number;
    }
  | { type: 'prediction'; seq: number; checkpoint: number; probabilities: number[] }
  | { type: 'checkpoints'; shown: number; list: CheckpointInfo[] }
  | { type: 'sample'; label: number; index: number; pixels: number[] }
  | { type: 'error'; message: string };

export type DigitsClientMessage =
  | { type: 'infer'; width: number; height: number; pixels: number[] }
  | { type: 'sample'; label: number }
  | { type: 'train' | 'load'; data: 'mnist' | 'fashion-mnist'; model: 'mlp' | 'cnn' }
  | { type: 'stop' }
  | { type: 'checkpoint'; index: number };

export interface Tensor {
  shape: number[];
  values: Float32Array;
}

export interface TensorFrame {
  magic: string;
  seq: number;
  tensors: Tensor[];
}

/** Reads "MAGIC", uint32 seq, uint32 count, then per tensor uint32 rank, dims, float32 values (LE). */
export function parseTensorFrame(buffer: ArrayBuffer): TensorFrame {
  const view = new DataView(buffer);
  if (buffer.byteLength < 12) throw new Error(`tensor frame: ${buffer.byteLength} bytes is too short`);
  const magic = String.fromCharCode(...new Uint8Array(buffer, 0, 4));
  const seq = view.getUint32(4, true);
  const count = view.getUint32(8, true);
  let at = 12;
  const tensors: Tensor[] = [];
  for (let t = 0; t < count; t++) {
    if (at + 4 > buffer.byteLength) throw new Error(`tensor frame: truncated before tensor ${t}`);
    const rank = view.getUint32(at, true);
    at += 4;
    const shape: number[] = [];
    for (let d = 0; d < rank; d++, at += 4) shape.push(view.getUint32(at, true));
    const n = shape.reduce((a, b) => a * b, 1);
    if (at + 4 * n > buffer.byteLength) throw new Error(`tensor frame: truncated in tensor ${t}`);
    tensors.push({ shape, values: new Float32Array(buffer.slice(at, at + 4 * n)) });
    at += 4 * n;
  }
  return { magic, seq, tensors };
}

export function parseDigitsMessage(text: string): DigitsServerMessage {
  const m = JSON.parse(text) as DigitsServerMessage;
  if (typeof m !== 'object' || m === null || typeof m.type !== 'string') throw new Error('message without a type');
  return m;
}

/** ws://host/ws/digits for the page's own host. */
export function digitsSocketUrl(location: { protocol: string; host: string }): string {
  return `${location.protocol === 'https:' ? 'wss:' : 'ws:'}//${location.host}/ws/digits`;
}
