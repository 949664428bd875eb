// The server's refusals of a set_spec in the words of the controls: the box's label instead of
// the protocol path, "a whole number from 1 to 64" instead of "an integer 1..64", what was typed,
// and what the run keeps using (the controls go back to it). The server names every bad key of
// one set_spec ("PATH: ...; PATH: ..."), and each is said.

/** The label each spec key's control carries on the page (markup.ts); link-only keys by their meaning. */
const LABELS: Record<string, string> = {
  dataset: 'Data set',
  noise: 'Noise',
  num_samples: 'Points',
  data_seed: 'Data seed',
  hidden: 'Hidden layers',
  activation: 'Activation',
  loss: 'Loss',
  learning_rate: 'Learning rate',
  seed: 'Seed',
  epochs: 'Epochs',
  refresh: 'Refresh every',
};

/** "must be an integer 1..64, got 0" -> "must be a whole number from 1 to 64, not 0". */
function rule(text: string, typed: string | undefined): string {
  const said = (got: string) => {
    const g = typed !== undefined && typed.trim() !== '' ? typed.trim() : got;
    return g === 'null' ? 'empty' : g;
  };
  const range = /^must be (?:(an integer|a number) )?(\S+)\.\.(\S+), got (.*)$/.exec(text);
  if (range) {
    const kind = range[1] === 'an integer' ? 'a whole number ' : range[1] ? 'a number ' : '';
    return `must be ${kind}from ${range[2]} to ${range[3]}, not ${said(range[4])}`;
  }
  const records = /^must be at least epochs \/ (\d+) = (\d+) \(at most \d+ records\), got (.*)$/.exec(text);
  if (records) return `must be at least ${records[2]} epochs (a run keeps at most ${records[1]} pictures), not ${said(records[3])}`;
  return text.replace(/^must list 1\.\.4 hidden layers, like \[3\]$/, 'give the units of 1 to 4 layers, like 3 or 4,2');
}

/** One "set_spec.spec.KEY[i]: ..." part in the controls' words. */
function onePart(part: string, typed: (key: string) => string | undefined, kept: (key: string) => string | undefined): string {
  const m = /^set_spec\.spec\.(\w+)(?:\[(\d+)\])?: (.*)$/.exec(part);
  if (!m || !(m[1] in LABELS)) return part.replace(/^set_spec(\.spec)?[.:]\s*/, '');
  const [, key, index, text] = m;
  const value = typed(key);
  const keeps = kept(key);
  const tail = keeps === undefined ? '' : ` (the run keeps ${keeps})`;
  if (index === undefined) return `${LABELS[key]}: ${rule(text, value)}${tail}`;
  return `${LABELS[key]}: layer ${Number(index) + 1} ${rule(text, value?.split(',')[Number(index)])}${tail}`;
}

/**
 * A set_spec error in the controls' words. `typed(key)` is what the control of that key shows
 * (for hidden: the comma list); `kept` what the run uses, said after each refusal.
 */
export function inControlWords(message: string, typed: (key: string) => string | undefined, kept: (key: string) => string | undefined): string {
  const parts = message.replace(/^set_spec: (?=set_spec\.)/, '').split(/; (?=set_spec\.spec\.)/);
  return parts.map((p) => onePart(p, typed, kept)).join('; ');
}
