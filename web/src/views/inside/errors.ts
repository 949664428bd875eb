// The server's refusals of a set_spec in the words of the controls: the box's label instead of
// the protocol path, "a whole number from 1 to 64" instead of "an integer 1..64", what was typed,
// and what the run keeps using (the controls go back to it).

/** The label each spec key's control carries on the page. */
const LABELS: Record<string, string> = {
  dataset: 'data',
  noise: 'noise',
  hidden: 'hidden',
  activation: 'activation',
  loss: 'loss',
  learning_rate: 'rate',
  seed: 'seed',
  epochs: 'epochs',
  refresh: 'refresh every',
};

/** 4.29497e+09 -> 4,294,970,000; other numbers as they are. */
const plain = (text: string) => text.replace(/-?\d+(?:\.\d+)?e[+-]?\d+/g, (n) => Number(n).toLocaleString('en', { maximumFractionDigits: 12 }));

/** "must be an integer 1..64, got 0" -> "must be a whole number from 1 to 64, not 0". */
function rule(text: string, typed: string | undefined): string {
  const m = /^must be (an integer|a number) (\S+)\.\.(\S+), got (.*)$/.exec(text);
  if (!m) return plain(text.replace(/^must list 1\.\.4 hidden layers, like \[3\]$/, 'give the units of 1 to 4 layers, like 3 or 4,2'));
  const kind = m[1] === 'an integer' ? 'a whole number' : 'a number';
  const got = typed !== undefined && typed.trim() !== '' ? typed.trim() : m[4];
  return `must be ${kind} from ${plain(m[2])} to ${plain(m[3])}, not ${got === 'null' ? 'empty' : got}`;
}

/**
 * A set_spec error in the controls' words. `typed(key)` is what the control of that key shows
 * (for hidden: the comma list); `kept` what the run uses, said after the refusal.
 */
export function inControlWords(message: string, typed: (key: string) => string | undefined, kept: (key: string) => string | undefined): string {
  const m = /^set_spec\.spec\.(\w+)(?:\[(\d+)\])?: (.*)$/.exec(message);
  if (!m || !(m[1] in LABELS)) return message.replace(/^set_spec(\.spec)?[.:]\s*/, '');
  const [, key, index, text] = m;
  const value = typed(key);
  const part = index === undefined ? value : value?.split(',')[Number(index)];
  const where = index === undefined ? LABELS[key] : `${LABELS[key]}, layer ${Number(index) + 1}`;
  const keeps = kept(key);
  return `${where}: ${rule(text, part)}${keeps === undefined ? '' : `; the run keeps ${keeps}`}`;
}
