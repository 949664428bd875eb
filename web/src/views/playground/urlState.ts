// The Playground's whole state in the URL hash, so a copied link reproduces the run:
// "#dataset=spiral&noise=10&hidden_layers=8:tanh,8:tanh&learning_rate=0.03&seed=1...".
// One table drives reading and writing: adding a control is one row. Keys ending in "_hide"
// (classroom mode, as TensorFlow Playground's) hide that control: "#features_hide=true".

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
}

type Kind = 'spec' | 'run' | 'view';
type Codec = { read: (text: string) => unknown; write: (value: unknown) => string };

const numberCodec: Codec = {
  read: (t) => {
    const x = Number(t);
    if (t.trim() === '' || !Number.isFinite(x)) throw new Error(`not a number: "${t}"`);
    return x;
  },
  write: (v) => String(v),
};
const stringCodec: Codec = { read: (t) => t, write: (v) => String(v) };
const boolCodec: Codec = {
  read: (t) => {
    if (t !== 'true' && t !== 'false') throw new Error(`expected true or false, got "${t}"`);
    return t === 'true';
  },
  write: (v) => String(Boolean(v)),
};
const listCodec: Codec = {
  read: (t) => (t === '' ? [] : t.split(',')),
  write: (v) => (v as string[]).join(','),
};
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
export const URL_KEYS: ReadonlyArray<{ key: string; kind: Kind; codec: Codec }> = [
  { key: 'dataset', kind: 'spec', codec: stringCodec },
  { key: 'noise', kind: 'spec', codec: numberCodec },
  { key: 'train_ratio', kind: 'spec', codec: numberCodec },
  { key: 'num_samples', kind: 'spec', codec: numberCodec },
  { key: 'batch_size', kind: 'spec', codec: numberCodec },
  { key: 'features', kind: 'spec', codec: listCodec },
  { key: 'hidden_layers', kind: 'spec', codec: layersCodec },
  { key: 'loss', kind: 'spec', codec: stringCodec },
  { key: 'optimizer', kind: 'spec', codec: stringCodec },
  { key: 'learning_rate', kind: 'spec', codec: numberCodec },
  { key: 'momentum', kind: 'spec', codec: numberCodec },
  { key: 'regularization', kind: 'spec', codec: stringCodec },
  { key: 'regularization_rate', kind: 'spec', codec: numberCodec },
  { key: 'seed', kind: 'spec', codec: numberCodec },
  { key: 'data_seed', kind: 'spec', codec: numberCodec },
  { key: 'epochs_per_frame', kind: 'run', codec: numberCodec },
  { key: 'stop_epoch', kind: 'run', codec: numberCodec },
  { key: 'stop_test_loss', kind: 'run', codec: numberCodec },
  { key: 'show_test', kind: 'view', codec: boolCodec },
  { key: 'discretize', kind: 'view', codec: boolCodec },
];

const HIDE_SUFFIX = '_hide';

/**
 * Reads a location hash ("#a=1&b=2" or ""). Unknown keys and unreadable values are skipped and
 * reported in `problems`, so a hand-edited link still opens.
 */
export function parseHash(hash: string): { state: UrlState; problems: string[] } {
  const state: UrlState = { spec: {}, run: {}, view: {}, hidden: new Set() };
  const problems: string[] = [];
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  for (const [key, text] of params) {
    if (key.endsWith(HIDE_SUFFIX)) {
      if (text === 'true') state.hidden.add(key.slice(0, -HIDE_SUFFIX.length));
      continue;
    }
    const row = URL_KEYS.find((r) => r.key === key);
    if (!row) {
      problems.push(`${key}: unknown key`);
      continue;
    }
    try {
      const value = row.codec.read(text);
      (state[row.kind] as Record<string, unknown>)[key] = value;
    } catch (e) {
      problems.push(`${key}: ${(e as Error).message}`);
    }
  }
  return { state, problems };
}

/** Writes the state as a hash, keys in table order, then the hidden controls. */
export function toHash(state: UrlState): string {
  const params = new URLSearchParams();
  for (const row of URL_KEYS) {
    const value = (state[row.kind] as Record<string, unknown>)[row.key];
    if (value !== undefined) params.set(row.key, row.codec.write(value));
  }
  for (const control of [...state.hidden].sort()) params.set(control + HIDE_SUFFIX, 'true');
  // URLSearchParams escapes ':' and ','; both are safe in a fragment and easier to read plain.
  return '#' + params.toString().replace(/%3A/g, ':').replace(/%2C/g, ',');
}

/** The spec keys the hash keeps, taken from a whole spec the server sent. */
export function specForUrl(spec: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const row of URL_KEYS) if (row.kind === 'spec' && spec[row.key] !== undefined) out[row.key] = spec[row.key];
  return out;
}
