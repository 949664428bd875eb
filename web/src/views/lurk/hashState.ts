// What a Lurk link holds, in its hash: the model (or run directory), the layer and unit on show, the method, the
// CAM layer, the target class and the input (a test image's index), through lib/params' table.
// A drawing is not in the link (it is strokes, not a setting); a link to one opens without it.

import { boolCodec, numberCodec, readParams, stringCodec, writeParams, type ParamRow } from '../../lib/params';

export interface LurkLink {
  model?: string;
  /** A run directory of the server's runs folder, instead of a model. */
  run?: string;
  layer?: number;
  unit?: number;
  method?: string;
  cam?: number;
  target?: number;
  test?: number;
  /** The colour scale of the signed pictures: unit, layer or global. */
  scale?: string;
  /** The diversity set's weight. */
  diversity?: number;
  /** The sanity check is on beside the map. */
  sanity?: boolean;
}

const ROWS: ReadonlyArray<ParamRow<'view'>> = [
  { key: 'model', group: 'view', codec: stringCodec },
  { key: 'run', group: 'view', codec: stringCodec },
  { key: 'layer', group: 'view', codec: numberCodec },
  { key: 'unit', group: 'view', codec: numberCodec },
  { key: 'method', group: 'view', codec: stringCodec },
  { key: 'cam', group: 'view', codec: numberCodec },
  { key: 'target', group: 'view', codec: numberCodec },
  { key: 'test', group: 'view', codec: numberCodec },
  { key: 'scale', group: 'view', codec: stringCodec },
  { key: 'diversity', group: 'view', codec: numberCodec },
  { key: 'sanity', group: 'view', codec: boolCodec },
];

export function readLink(hash: string): { link: LurkLink; problems: string[] } {
  const { values, problems } = readParams(hash, ROWS, ['view']);
  return { link: values.view as LurkLink, problems };
}

export function writeLink(link: LurkLink): string {
  return '#' + writeParams({ view: link as Record<string, unknown> }, ROWS);
}
