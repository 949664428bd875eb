// A page's settings in its URL (the Playground's hash, Inside's query), read and written through
// one table of keys: each row names the key, the part of the state it belongs to and how its
// value is written, so adding a setting is one row. Unreadable values and unknown keys are left
// out and reported, so a hand-edited link still opens.

export interface Codec {
  read(text: string): unknown;
  write(value: unknown): string;
}

export interface ParamRow<G extends string> {
  key: string;
  group: G;
  codec: Codec;
}

export const numberCodec: Codec = {
  read: (t) => {
    const x = Number(t);
    if (t.trim() === '' || !Number.isFinite(x)) throw new Error(`not a number: "${t}"`);
    return x;
  },
  write: (v) => String(v),
};

export const stringCodec: Codec = { read: (t) => t, write: (v) => String(v) };

export const boolCodec: Codec = {
  read: (t) => {
    if (t !== 'true' && t !== 'false') throw new Error(`expected true or false, got "${t}"`);
    return t === 'true';
  },
  write: (v) => String(Boolean(v)),
};

/** A comma-separated list of names: "x1,x2"; "" for none. */
export const listCodec: Codec = {
  read: (t) => (t === '' ? [] : t.split(',')),
  write: (v) => (v as string[]).join(','),
};

/** Units per layer: "4,2", each a positive integer. */
export const unitsCodec: Codec = {
  read: (t) => {
    const units = t.split(',').map(Number);
    if (!units.every((u) => Number.isInteger(u) && u > 0)) throw new Error(`expected positive integers like 4,2, got "${t}"`);
    return units;
  },
  write: (v) => (v as number[]).join(','),
};

export interface ReadParams<G extends string> {
  values: Record<G, Record<string, unknown>>;
  problems: string[];
}

/**
 * Reads "a=1&b=2" (a leading "#" or "?" is skipped) by the table. `extra` may claim a key the
 * table does not hold (true: handled); any other unknown key is a problem.
 */
export function readParams<G extends string>(
  text: string,
  rows: ReadonlyArray<ParamRow<G>>,
  groups: readonly G[],
  extra: (key: string, value: string) => boolean = () => false,
): ReadParams<G> {
  const values = Object.fromEntries(groups.map((g) => [g, {}])) as Record<G, Record<string, unknown>>;
  const problems: string[] = [];
  for (const [key, value] of new URLSearchParams(text.replace(/^[#?]/, ''))) {
    const row = rows.find((r) => r.key === key);
    if (!row) {
      if (!extra(key, value)) problems.push(`${key}: unknown key`);
      continue;
    }
    try {
      (values[row.group] as Record<string, unknown>)[key] = row.codec.read(value);
    } catch (e) {
      problems.push(`${key}: ${(e as Error).message}`);
    }
  }
  return { values, problems };
}

/** Writes the values the table holds, keys in table order, then `extra` pairs. */
export function writeParams<G extends string>(
  values: Record<G, Record<string, unknown>>,
  rows: ReadonlyArray<ParamRow<G>>,
  extra: [string, string][] = [],
): string {
  const params = new URLSearchParams();
  for (const row of rows) {
    const value = values[row.group][row.key];
    if (value !== undefined) params.set(row.key, row.codec.write(value));
  }
  for (const [k, v] of extra) params.set(k, v);
  // URLSearchParams escapes ':' and ','; both are safe in a URL and easier to read plain.
  return params.toString().replace(/%3A/g, ':').replace(/%2C/g, ',');
}
