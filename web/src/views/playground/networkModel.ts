// Where each number of a frame belongs in the network graph: the offsets of every weight and
// bias in the flat parameter array, and of every node's map in the thumbnails. Pure logic.

import type { LayerShape } from '../../lib/wire';

export interface ParamIndex {
  /** Offset of layer l's weight from input i to unit j: weight(l, i, j). */
  weight(layer: number, input: number, unit: number): number;
  bias(layer: number, unit: number): number;
  total: number;
}

/** Weights of each layer ((in, out) row-major), then its biases, layer after layer. */
export function paramIndex(layers: LayerShape[]): ParamIndex {
  const starts: number[] = [];
  let total = 0;
  for (const l of layers) {
    starts.push(total);
    total += l.in * l.out + l.out;
  }
  const check = (layer: number) => {
    if (layer < 0 || layer >= layers.length) throw new Error(`no layer ${layer}`);
  };
  return {
    weight: (layer, input, unit) => (check(layer), starts[layer] + input * layers[layer].out + unit),
    bias: (layer, unit) => (check(layer), starts[layer] + layers[layer].in * layers[layer].out + unit),
    total,
  };
}

/**
 * Node order of the thumbnails: the active features, every hidden unit layer by layer, then
 * one output map. Returns the node index of (column, unit): column 0 the features, column
 * c ≥ 1 hidden layer c − 1, the last column the output.
 */
export function nodeIndex(features: number, hiddenUnits: number[]): (column: number, unit: number) => number {
  const starts = [0, features];
  for (const u of hiddenUnits) starts.push(starts[starts.length - 1] + u);
  return (column, unit) => starts[column] + unit;
}

/** The L2 norm of each unit's outgoing weights: unit u of the layer feeding `next`. */
export function outgoingNorms(params: Float32Array, index: ParamIndex, next: number, nextShape: LayerShape): Float32Array {
  const norms = new Float32Array(nextShape.in);
  for (let u = 0; u < nextShape.in; u++) {
    let sum = 0;
    for (let j = 0; j < nextShape.out; j++) {
      const w = params[index.weight(next, u, j)];
      sum += w * w;
    }
    norms[u] = Math.sqrt(sum);
  }
  return norms;
}
