// The Playground's whole state in the URL hash, so a copied link reproduces the run:
// "#dataset=spiral&noise=10&hidden_layers=8:tanh,8:tanh&learning_rate=0.03&seed=1...", read and
// written through lib/params' table. Keys ending in "_hide" (classroom mode, as TensorFlow
// Playground's) hide that control: "#features_hide=true". "#run=NAME" opens a saved run.

import { boolCodec, listCodec, numberCodec, readParams, stringCodec, writeParams, type Codec, type ParamRow } from '../../lib/params';

export interface RunOptions {
  epochs_per_frame: number;
  stop_epoch: number;
  stop_test_loss: number;
}

export interface ViewOptions {
  show_test: boolean;
  discretize: boolean;
}

export interface UrlState {
  /** Run-spec keys as the server names them (only those the hash gave). */
  spec: Record<string, unknown>;
  run: Partial<RunOptions>;
  view: Partial<ViewOptions>;
  /** Controls to hide (classroom mode). */
  hidden: Set<string>;
  /** A saved run to open ("#run=NAME", the Runs page's link); never written back. */
  savedRun?: string;
}

type Group = 'spec' | 'run' | 'view';
const GROUPS: readonly Group[] = ['spec', 'run', 'view'];

/** Hidden layers as "units:activation" pairs: "8:tanh,4:relu"; "" for none. */
const layersCodec: Codec = {
  read: (t) =>
    t === ''
      ? []
      : t.split(',').map((part) => {
          const [units, activation] = part.split(':');
          const n = Number(units);
          if (!Number.isInteger(n)) throw new Error(`hidden layer "${part}": units must be an integer`);
          return activation ? { units: n, activation } : { units: n };
        }),
  write: (v) =>
    (v as { units: number; activation?: string }[])
      .map((l) => (l.activation ? `${l.units}:${l.activation}` : String(l.units)))
      .join(','),
};

/** Every key the hash may hold: its part of the state and how its value is written. */
export const URL_KEYS: ReadonlyArray<ParamRow<Group>> = [
  { key: 'dataset', group: 'spec', codec: stringCodec },
  { key: 'noise', group: 'spec', codec: numberCodec },
  { key: 'train_ratio', group: 'spec', codec: numberCodec },
  { key: 'num_samples', group: 'spec', codec: numberCodec },
  { key: 'batch_size', group: 'spec', codec: numberCodec },
  { key: 'features', group: 'spec', codec: listCodec },
  { key: 'hidden_layers', group: 'spec', codec: layersCodec },
  { key: 'loss', group: 'spec', codec: stringCodec },
  { key: 'optimizer', group: 'spec', codec: stringCodec },
  { key: 'learning_rate', group: 'spec', codec: numberCodec },
  { key: 'momentum', group: 'spec', codec: numberCodec },
  { key: 'regularization', group: 'spec', codec: stringCodec },
  { key: 'regularization_rate', group: 'spec', codec: numberCodec },
  { key: 'init', group: 'spec', codec: stringCodec },
  { key: 'seed', group: 'spec', codec: numberCodec },
  { key: 'data_seed', group: 'spec', codec: numberCodec },
  { key: 'epochs_per_frame', group: 'run', codec: numberCodec },
  { key: 'stop_epoch', group: 'run', codec: numberCodec },
  { key: 'stop_test_loss', group: 'run', codec: numberCodec },
  { key: 'show_test', group: 'view', codec: boolCodec },
  { key: 'discretize', group: 'view', codec: boolCodec },
];

const HIDE_SUFFIX = '_hide';

/** Reads a location hash ("#a=1&b=2" or ""); what it cannot read is reported in `problems`. */
export function parseHash(hash: string): { state: UrlState; problems: string[] } {
  const hidden = new Set<string>();
  let savedRun: string | undefined;
  const { values, problems } = readParams(hash, URL_KEYS, GROUPS, (key, text) => {
    if (key === 'run') {
      savedRun = text;
      return true;
    }
    if (!key.endsWith(HIDE_SUFFIX)) return false;
    if (text === 'true') hidden.add(key.slice(0, -HIDE_SUFFIX.length));
    return true;
  });
  return { state: { spec: values.spec, run: values.run, view: values.view, hidden, savedRun }, problems };
}

/** Writes the state as a hash, keys in table order, then the hidden controls. */
export function toHash(state: UrlState): string {
  const hide = [...state.hidden].sort().map((c): [string, string] => [c + HIDE_SUFFIX, 'true']);
  return '#' + writeParams({ spec: state.spec, run: state.run, view: state.view }, URL_KEYS, hide);
}

/** The spec keys the hash keeps, taken from a whole spec the server sent (of uploaded points: no data set keys). */
export function specForUrl(spec: Record<string, unknown>, uploaded = false): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const row of URL_KEYS) if (row.group === 'spec' && spec[row.key] !== undefined) out[row.key] = spec[row.key];
  // Uploaded points are not a generated set: the link must not claim one.
  if (uploaded) for (const key of DATA_KEYS) delete out[key];
  return out;
}

/** The keys that describe a generated data set (none of them applies to uploaded points). */
const DATA_KEYS = ['dataset', 'noise', 'num_samples', 'data_seed'];

/** "#ingest=RUN" (with or without other keys): the run to follow, and the hash without it. */
export function splitIngest(hash: string): { ingest: string | null; rest: string } {
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  const ingest = params.get('ingest');
  if (!ingest) return { ingest: null, rest: hash }; // untouched: its values keep their spelling
  params.delete('ingest');
  const rest = params.toString();
  return { ingest, rest: rest ? '#' + rest : '' };
}
