// The colour scale of the view's signed pictures (weights, a unit's map): local to the unit (its
// own largest |value| at the ends), to its layer (the layer's largest), or global (the whole
// network's), so that units can be compared within a layer or across layers.

import type { NetworkInfo } from './messages';

export type ScaleMode = 'unit' | 'layer' | 'global';

export interface ScaleRanges {
  unit: number;
  layer: number;
  global: number;
}

/** The weights' ranges of a unit whose own largest |w| is `unit`, in layer `layer`. */
export function weightRanges(network: NetworkInfo, layer: number, unit: number): ScaleRanges {
  return {
    unit,
    layer: network.layers[layer]?.weight_max ?? unit,
    global: Math.max(unit, ...network.layers.map((l) => l.weight_max)),
  };
}
