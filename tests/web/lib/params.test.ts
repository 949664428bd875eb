import { describe, expect, it } from 'vitest';
import { numberCodec, readParams, stringCodec, unitsCodec, writeParams, type ParamRow } from '../../../web/src/lib/params';

const ROWS: ParamRow<'a' | 'b'>[] = [
  { key: 'name', group: 'a', codec: stringCodec },
  { key: 'rate', group: 'a', codec: numberCodec },
  { key: 'units', group: 'b', codec: unitsCodec },
];

describe('readParams', () => {
  it('reads each key into its group, after a "#" or "?"', () => {
    for (const prefix of ['', '#', '?'])
      expect(readParams(`${prefix}name=xor&rate=0.5&units=4,2`, ROWS, ['a', 'b'])).toEqual({
        values: { a: { name: 'xor', rate: 0.5 }, b: { units: [4, 2] } },
        problems: [],
      });
  });

  it('leaves out and reports what it cannot read', () => {
    const r = readParams('rate=fast&units=4,x&colour=red&units2=', ROWS, ['a', 'b']);
    expect(r.values).toEqual({ a: {}, b: {} });
    expect(r.problems).toEqual([
      'rate: not a number: "fast"',
      'units: expected positive integers like 4,2, got "4,x"',
      'colour: unknown key',
      'units2: unknown key',
    ]);
    expect(readParams('rate=', ROWS, ['a', 'b']).problems).toEqual(['rate: not a number: ""']);
    expect(readParams('units=0', ROWS, ['a', 'b']).problems).toHaveLength(1);
  });

  it('lets the caller claim keys the table does not hold', () => {
    const claimed: string[] = [];
    const r = readParams('x_hide=true&y=1', ROWS, ['a', 'b'], (key) => (key.endsWith('_hide') ? claimed.push(key) > 0 : false));
    expect(claimed).toEqual(['x_hide']);
    expect(r.problems).toEqual(['y: unknown key']);
  });
});

describe('writeParams', () => {
  it('writes keys in table order, lists plain, then the extra pairs', () => {
    expect(writeParams({ a: { rate: 0.5, name: 'xor' }, b: { units: [4, 2] } }, ROWS, [['x_hide', 'true']])).toBe(
      'name=xor&rate=0.5&units=4,2&x_hide=true',
    );
  });

  it('round-trips through readParams', () => {
    const values = { a: { name: 'two words', rate: 3 }, b: { units: [8] } };
    expect(readParams(writeParams(values, ROWS), ROWS, ['a', 'b']).values).toEqual(values);
  });
});
