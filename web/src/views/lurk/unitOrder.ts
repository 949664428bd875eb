// How the unit grid orders a layer's units: by mean activation, by selectivity (Morcos et al.
// 2018: (mu_max - mu_rest) / (mu_max + mu_rest) over the class means of the unit's mean score,
// mu_rest the mean of the other classes; 0 for a unit that never fires), or by preferred class.

import type { LayerUnit } from './messages';

export type UnitSort = 'index' | 'mean' | 'selectivity' | 'class';

export function preferredClass(classMean: number[]): number {
  let best = 0;
  for (let c = 1; c < classMean.length; c++) if (classMean[c] > classMean[best]) best = c;
  return best;
}

export function selectivity(classMean: number[]): number {
  if (classMean.length < 2) return 0;
  const top = preferredClass(classMean);
  const max = classMean[top];
  const rest = (classMean.reduce((a, b) => a + b, 0) - max) / (classMean.length - 1);
  return max + rest > 0 ? (max - rest) / (max + rest) : 0;
}

/** The units' indices in grid order: highest first for mean and selectivity, class 0 first (each class by selectivity). */
export function sortUnits(units: LayerUnit[], by: UnitSort): number[] {
  const order = units.map((u) => u.unit);
  const at = (i: number) => units[i];
  const key: Record<UnitSort, (i: number) => number[]> = {
    index: (i) => [i],
    mean: (i) => [-at(i).mean, i],
    selectivity: (i) => [-selectivity(at(i).class_mean), i],
    class: (i) => [preferredClass(at(i).class_mean), -selectivity(at(i).class_mean), i],
  };
  return order.sort((a, b) => {
    const ka = key[by](a);
    const kb = key[by](b);
    for (let k = 0; k < ka.length; k++) if (ka[k] !== kb[k]) return ka[k] - kb[k];
    return 0;
  });
}
