import { describe, expect, it } from 'vitest';
import { inControlWords } from '../../../web/src/views/inside/errors';

const typed: Record<string, string> = { hidden: '4,x', seed: '-1', learning_rate: '100', epochs: '1e12' };
const kept: Record<string, string> = { hidden: '4,3', seed: '1', learning_rate: '0.01', epochs: '40000' };
const words = (m: string) => inControlWords(m, (k) => typed[k], (k) => kept[k]);

describe("Inside's refusals in the controls' words", () => {
  it('names the control, says the rule plainly, what was typed and what the run keeps', () => {
    expect(words('set_spec.spec.hidden[1]: must be an integer 1..64, got null')).toBe(
      'hidden, layer 2: must be a whole number from 1 to 64, not x; the run keeps 4,3',
    );
    expect(words('set_spec.spec.learning_rate: must be a number 1e-06..10, got 100')).toBe(
      'rate: must be a number from 0.000001 to 10, not 100; the run keeps 0.01',
    );
    expect(words('set_spec.spec.seed: must be a number 0..4.29497e+09, got -1')).toBe(
      'seed: must be a number from 0 to 4,294,970,000, not -1; the run keeps 1',
    );
    expect(words('set_spec.spec.epochs: must be an integer 1..1000000, got 1000000000000')).toBe(
      'epochs: must be a whole number from 1 to 1000000, not 1e12; the run keeps 40000',
    );
    expect(words('set_spec.spec.hidden: must list 1..4 hidden layers, like [3]')).toBe(
      'hidden: give the units of 1 to 4 layers, like 3 or 4,2; the run keeps 4,3',
    );
  });

  it('leaves no protocol path in a message it does not know', () => {
    expect(words('set_spec: memory: the run needs 300 MB')).toBe('memory: the run needs 300 MB');
    expect(words('set_spec.spec.bogus: unknown field')).toBe('bogus: unknown field');
  });
});
