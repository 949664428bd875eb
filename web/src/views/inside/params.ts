// The settings an Inside link carries (`inside.html?hidden=3&refresh=200&epochs=40000`, as
// `netlens xor` writes them), read through lib/params' table; the server checks their ranges.

import { numberCodec, readParams, stringCodec, unitsCodec, type ParamRow } from '../../lib/params';
import type { InsideSpec } from './messages';

export const QUERY_KEYS: ReadonlyArray<ParamRow<'spec'>> = [
  { key: 'dataset', group: 'spec', codec: stringCodec },
  { key: 'noise', group: 'spec', codec: numberCodec },
  { key: 'num_samples', group: 'spec', codec: numberCodec },
  { key: 'data_seed', group: 'spec', codec: numberCodec },
  { key: 'hidden', group: 'spec', codec: unitsCodec },
  { key: 'activation', group: 'spec', codec: stringCodec },
  { key: 'loss', group: 'spec', codec: stringCodec },
  { key: 'learning_rate', group: 'spec', codec: numberCodec },
  { key: 'seed', group: 'spec', codec: numberCodec },
  { key: 'epochs', group: 'spec', codec: numberCodec },
  { key: 'refresh', group: 'spec', codec: numberCodec },
];

/** The spec keys a query sets, and what it could not read. */
export function specFromQuery(query: string): { spec: Partial<InsideSpec>; problems: string[] } {
  const { values, problems } = readParams(query, QUERY_KEYS, ['spec']);
  return { spec: values.spec as Partial<InsideSpec>, problems };
}
