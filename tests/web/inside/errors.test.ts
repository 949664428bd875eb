import { describe, expect, it } from 'vitest';
import { inControlWords } from '../../../web/src/views/inside/errors';

const typed: Record<string, string> = { hidden: '4,x', seed: '-1', learning_rate: '100', epochs: '1e12', refresh: '1' };
const kept: Record<string, string> = { hidden: '4,3', seed: '1', learning_rate: '0.01', epochs: '40000', refresh: '200' };
const words = (m: string) => inControlWords(m, (k) => typed[k], (k) => kept[k]);

describe("Inside's refusals in the controls' words", () => {
  it('names the control by its label, says the rule plainly, what was typed and what the run keeps', () => {
    expect(words('set_spec.spec.hidden[1]: must be an integer 1..64, got null')).toBe(
      'Hidden layers: layer 2 must be a whole number from 1 to 64, not x (the run keeps 4,3)',
    );
    expect(words('set_spec.spec.learning_rate: must be a number 0.000001..10, got 100')).toBe(
      'Learning rate: must be a number from 0.000001 to 10, not 100 (the run keeps 0.01)',
    );
    expect(words('set_spec.spec.seed: must be an integer 0..4294967295, got -1')).toBe(
      'Seed: must be a whole number from 0 to 4294967295, not -1 (the run keeps 1)',
    );
    expect(words('set_spec.spec.epochs: must be an integer 1..1000000, got 1000000000000')).toBe(
      'Epochs: must be a whole number from 1 to 1000000, not 1e12 (the run keeps 40000)',
    );
    expect(words('set_spec.spec.hidden: must list 1..4 hidden layers, like [3]')).toBe(
      'Hidden layers: give the units of 1 to 4 layers, like 3 or 4,2 (the run keeps 4,3)',
    );
  });

  it("says the whole spec's rules, raised after the command was read, in the same words", () => {
    expect(words('set_spec: set_spec.spec.refresh: must be at least epochs / 5000 = 8 (at most 5000 records), got 1')).toBe(
      'Refresh every: must be at least 8 epochs (a run keeps at most 5000 pictures), not 1 (the run keeps 200)',
    );
    expect(words('set_spec: set_spec.spec.refresh: must be 1..40000, got 50000')).toBe(
      'Refresh every: must be from 1 to 40000, not 1 (the run keeps 200)',
    );
  });

  it('says every refused key of one message', () => {
    expect(words('set_spec.spec.seed: must be an integer 0..4294967295, got -1; set_spec.spec.hidden[1]: must be an integer 1..64, got null')).toBe(
      'Seed: must be a whole number from 0 to 4294967295, not -1 (the run keeps 1); Hidden layers: layer 2 must be a whole number from 1 to 64, not x (the run keeps 4,3)',
    );
  });

  it('leaves no protocol path in a message it does not know', () => {
    expect(words('set_spec: memory: the run needs 300 MB')).toBe('memory: the run needs 300 MB');
    expect(words('set_spec.spec.bogus: unknown field')).toBe('bogus: unknown field');
  });
});
