// The strongest incoming connections of each unit of a dense stage, so the 3D scene draws only
// N lines per unit and stays legible. Strength is |weight × source activation| when the
// activations are known (what actually flows), else |weight|.

export interface Connection {
  from: number; // unit index in the previous stage (flattened)
  to: number; // unit index in this stage
  weight: number;
  contribution: number; // weight × source activation
}

/** weights is (inputs, outputs) row-major, as Dense stores it. */
export function strongestInputs(
  weights: Float32Array,
  inputs: number,
  outputs: number,
  sourceValues: Float32Array | null,
  n: number,
): Connection[] {
  const result: Connection[] = [];
  const take = Math.min(n, inputs);
  if (take <= 0) return result;
  const scores = new Float32Array(inputs);
  const order = new Uint32Array(inputs);
  for (let o = 0; o < outputs; o++) {
    for (let i = 0; i < inputs; i++) {
      const w = weights[i * outputs + o];
      scores[i] = Math.abs(sourceValues ? w * sourceValues[i] : w);
      order[i] = i;
    }
    order.sort((a, b) => scores[b] - scores[a]);
    for (let k = 0; k < take; k++) {
      const i = order[k];
      const w = weights[i * outputs + o];
      result.push({ from: i, to: o, weight: w, contribution: sourceValues ? w * sourceValues[i] : w });
    }
  }
  return result;
}

/** Largest |value| in a set of arrays (at least a small epsilon): a colour scale's extent. */
export function maxAbs(arrays: Float32Array[]): number {
  let m = 1e-6;
  for (const a of arrays) for (const v of a) m = Math.max(m, Math.abs(v));
  return m;
}
