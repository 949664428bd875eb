// The network graph's controls of its hidden layers: the header's + and − (a layer more or
// less) and count, and over each hidden column its head: + and − (a unit more or less), the
// units box and the activation select. Each change asks for the whole new list of layers.

export const MAX_HIDDEN_LAYERS = 10;
const MAX_UNITS = 1024;

export interface HiddenLayerSpec {
  units: number;
  activation: string;
}

export interface LayerCallbacks {
  setHiddenLayers(layers: HiddenLayerSpec[]): void;
  /** A value the controls refuse, in words. */
  problem(message: string): void;
}

function miniButton(text: string, title: string, disabled: boolean, onClick: () => void): HTMLButtonElement {
  const b = document.createElement('button');
  b.type = 'button';
  b.className = 'mini-button';
  b.textContent = text;
  b.title = title;
  b.setAttribute('aria-label', title);
  b.disabled = disabled;
  b.addEventListener('click', onClick);
  return b;
}

/** Fills `header`: add and remove a hidden layer, the count of layers, then `deadCount`. */
export function buildGraphHeader(header: HTMLElement, hidden: HiddenLayerSpec[], deadCount: HTMLElement, callbacks: LayerCallbacks): void {
  const n = hidden.length;
  header.innerHTML = '';
  const add = miniButton('+', 'add a hidden layer', n >= MAX_HIDDEN_LAYERS, () =>
    callbacks.setHiddenLayers([...hidden, { units: 4, activation: hidden[n - 1]?.activation ?? 'tanh' }]),
  );
  add.id = 'add-layer';
  const remove = miniButton('−', 'remove the last hidden layer', n === 0, () => callbacks.setHiddenLayers(hidden.slice(0, -1)));
  remove.id = 'remove-layer';
  // Classroom mode's hidden_layers_hide hides these (and each layer's +, − and units box), not the graph.
  for (const b of [add, remove]) b.dataset.control = 'hidden_layers';
  const label = document.createElement('span');
  label.id = 'layer-count';
  label.textContent = `${n} hidden layer${n === 1 ? '' : 's'}`;
  header.append(add, remove, label, deadCount);
}

/** The head of hidden layer `l`, at `left` px: its units and activation, offered from `activations`. */
export function layerHead(hidden: HiddenLayerSpec[], l: number, left: number, activations: string[], callbacks: LayerCallbacks): HTMLElement {
  const layer = hidden[l];
  const head = document.createElement('div');
  head.className = 'layer-head';
  head.style.left = `${left}px`;
  const set = (units: number, activation = layer.activation) =>
    callbacks.setHiddenLayers(hidden.map((h, i) => (i === l ? { units, activation } : h)));
  const plus = miniButton('+', 'add a unit', layer.units >= MAX_UNITS, () => set(layer.units + 1));
  plus.classList.add('add-unit');
  const minus = miniButton('−', 'remove a unit', layer.units <= 1, () => set(layer.units - 1));
  minus.classList.add('remove-unit');
  const units = document.createElement('input');
  units.type = 'number';
  units.min = '1';
  units.max = String(MAX_UNITS);
  units.value = String(layer.units);
  units.className = 'units-input';
  units.title = 'units in this layer (over 32: shown as a grid)';
  units.addEventListener('change', () => {
    const v = Number(units.value);
    if (units.value.trim() !== '' && Number.isInteger(v) && v >= 1 && v <= MAX_UNITS) return set(v);
    const typed = units.value.trim() === '' ? 'an empty box' : `"${units.value}"`;
    callbacks.problem(`layer ${l + 1}'s units: ${typed} is not a whole number from 1 to ${MAX_UNITS}; the layer keeps ${layer.units}`);
    units.value = String(layer.units);
  });
  const select = document.createElement('select');
  select.className = 'layer-activation';
  select.title = "this layer's activation";
  for (const name of activations.length ? activations : [layer.activation]) {
    select.append(new Option(name, name, false, name === layer.activation));
  }
  select.addEventListener('change', () => set(layer.units, select.value));
  for (const el of [plus, minus, units, select]) (el as HTMLElement).dataset.layer = String(l);
  for (const el of [plus, minus, units]) el.dataset.control = 'hidden_layers';
  head.append(plus, minus, units, select);
  return head;
}
