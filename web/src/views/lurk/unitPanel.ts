// A unit's panel: its mean activation and dead fraction in large type, its top images by max
// (each with its receptive-field box, the crop enlarged, and the unit's vanilla and guided
// gradients whole and cropped, on a diverging scale local to the unit, its layer or the network), its top images by mean, the
// class histogram of its mean score, its kernels per input channel with their values (a dense
// unit: its incoming weights, denseWeights.ts), and its
// dream on request with the dream's activation against the top image's.

import { cssClassColor } from '../../lib/colorScale';
import type { Tensor } from '../../lib/wire';
import type { DreamMessage, TopEntry, UnitMessage } from './messages';
import { drawDenseWeights } from './denseWeights';
import type { ScaleMode } from './colourScale';
import { crop, drawGray, drawSigned, kernelGrid, makeCanvas, maxAbs, slice, withBox } from './tiles';

function figure(caption: string, ...content: HTMLElement[]): HTMLElement {
  const f = document.createElement('figure');
  const c = document.createElement('figcaption');
  c.textContent = caption;
  f.append(...content, c);
  return f;
}

function stat(label: string, value: string, id: string): HTMLElement {
  const el = document.createElement('div');
  el.className = 'big-stat';
  el.innerHTML = `<span class="big-value"></span><span class="big-label"></span>`;
  el.querySelector('.big-value')!.textContent = value;
  el.querySelector('.big-value')!.id = id;
  el.querySelector('.big-label')!.textContent = label;
  return el;
}

function row(title: string, cells: HTMLElement[], className = 'top-row'): HTMLElement {
  const r = document.createElement('div');
  r.className = className;
  const t = document.createElement('span');
  t.className = 'row-title';
  t.textContent = title;
  r.append(t, ...cells);
  return r;
}

/** Class bars: one per class, height by value over the largest. */
export function classBars(values: number[], classes: string[]): HTMLElement {
  const host = document.createElement('div');
  host.className = 'class-bars';
  const max = Math.max(...values, 1e-12);
  values.forEach((v, c) => {
    const bar = document.createElement('div');
    bar.className = 'class-bar';
    bar.dataset.class = String(c);
    bar.title = `${classes[c] ?? c}: ${v.toFixed(3)}`;
    const fill = document.createElement('span');
    fill.className = 'class-bar-fill';
    fill.style.height = `${Math.max(0, (100 * v) / max)}%`;
    fill.style.background = cssClassColor(c);
    const label = document.createElement('span');
    label.className = 'class-bar-label';
    label.textContent = classes[c] ?? String(c);
    bar.append(fill, label);
    host.append(bar);
  });
  return host;
}

/** Images in a diversity set (the engine's notebook default is a batch of 4). */
const DIVERSITY_SET = 4;

export interface UnitPanelActions {
  /** One dream (count 1), or a diversity set of `count` pushed apart with weight `diversity`. */
  dream(count: number, diversity: number): void;
  /** Plays or pauses the operation view's sliding window. */
  slide(): void;
  /** The diversity weight the panel starts with (the link's), and a change of it. */
  diversity: number;
  diversityChanged(weight: number): void;
}

/**
 * `weightScale`: the colour scale's end for weights whose own largest |w| is the argument;
 * `mode` the gradient tiles': the unit's own largest |gradient| over its top images, its layer's
 * or every layer's (the server's `gradient_max`).
 */
export function drawUnitPanel(host: HTMLElement, m: UnitMessage, tensors: Tensor[], classes: string[], actions: UnitPanelActions, weightScale: (own: number) => number, mode: ScaleMode): void {
  const [images, vanilla, guided, means, kernels] = tensors;
  const [, h, w] = images.shape;
  const size = h * w;
  const head = document.createElement('header');
  head.className = 'unit-head';
  const title = document.createElement('h2');
  title.id = 'unit-title';
  title.textContent = `${m.name} · unit ${m.unit}`;
  head.append(title, stat('mean activation', m.mean.toFixed(3), 'unit-mean'), stat('dead (never fires)', `${(100 * m.dead_fraction).toFixed(1)} %`, 'unit-dead'));
  if (m.bias !== null) head.append(stat('bias', m.bias.toFixed(3), 'unit-bias'));

  const entry = (e: TopEntry) => `#${e.image} (${classes[e.label] ?? e.label}) ${e.score.toFixed(2)}`;
  // The gradient tiles' scale ends (vanilla, guided); 0: an image, not signed.
  const ends = mode === 'unit' ? [maxAbs(vanilla.values), maxAbs(guided.values)] : m.gradient_max[mode];
  const boxed = (values: Float32Array, e: TopEntry, end = 0) => {
    const c = end > 0 ? drawSigned(makeCanvas(w, h), values, w, h, end) : drawGray(makeCanvas(w, h), values, w, h);
    return e.box ? withBox(c, e.box, w, h) : c;
  };
  const cropped = (values: Float32Array, e: TopEntry, end = 0) => {
    const box = e.box ?? [0, 0, h, w];
    const part = crop(values, w, box);
    const bw = box[3] - box[1];
    const bh = box[2] - box[0];
    return end > 0 ? drawSigned(makeCanvas(bw, bh, 'tile crop'), part, bw, bh, end) : drawGray(makeCanvas(bw, bh, 'tile crop'), part, bw, bh);
  };
  const tops = m.top_max.map((e, i) => ({ e, img: slice(images.values, i, size), van: slice(vanilla.values, i, size), gui: slice(guided.values, i, size) }));
  const topRow = row('top by max', tops.map(({ e, img }, i) => {
    const f = figure(entry(e), boxed(img, e));
    f.dataset.top = String(i);
    f.dataset.image = String(e.image);
    return f;
  }));
  topRow.id = 'top-max';
  const rows = [
    topRow,
    row('crop', tops.map(({ e, img }) => figure('', cropped(img, e)))),
    row(`gradient ±${ends[0].toPrecision(2)}`, tops.map(({ e, van }) => figure('', boxed(van, e, ends[0])))),
    row('crop', tops.map(({ e, van }) => figure('', cropped(van, e, ends[0])))),
    row(`guided ±${ends[1].toPrecision(2)}`, tops.map(({ e, gui }) => figure('', boxed(gui, e, ends[1])))),
    row('crop', tops.map(({ e, gui }) => figure('', cropped(gui, e, ends[1])))),
  ];
  rows[2].id = 'gradient-row';
  rows[2].dataset.scale = String(ends[0]);
  rows[4].id = 'guided-row';
  rows[4].dataset.scale = String(ends[1]);
  const meanRow = row('top by mean', m.top_mean.map((e, i) => figure(entry(e), drawGray(makeCanvas(w, h), slice(means.values, i, size), w, h))));
  meanRow.id = 'top-mean';

  const lower = document.createElement('div');
  lower.className = 'unit-lower';
  lower.append(figure('mean score by class (the class histogram)', classBars(m.class_mean, classes)));
  if (kernels && m.kind === 'dense') {
    const scale = weightScale(maxAbs(kernels.values));
    const what = kernels.shape.length === 3 ? `an image per input channel (the ${kernels.shape.join('×')} map the layer's input flattened)` : `a bar per input (${kernels.shape[0]})`;
    lower.append(figure(`incoming weights: ${what}, scale ±${scale.toFixed(2)}`, drawDenseWeights(kernels, scale)));
  } else if (kernels) {
    const [channels, f] = kernels.shape;
    const scale = weightScale(maxAbs(kernels.values));
    const ks = document.createElement('div');
    ks.className = 'unit-kernels';
    ks.id = 'unit-kernels';
    ks.dataset.scale = String(scale);
    for (let c = 0; c < channels; c++) ks.append(figure(`in ${c}`, kernelGrid(slice(kernels.values, c, f * f), f, scale)));
    lower.append(figure(`weights: a ${f}×${f} kernel per input channel (scale ±${scale.toFixed(2)})`, ks));
  }
  const dream = document.createElement('div');
  dream.className = 'dream';
  dream.id = 'dream';
  const button = document.createElement('button');
  button.id = 'dream-button';
  button.textContent = 'dream: the image this unit likes most';
  button.addEventListener('click', () => {
    button.disabled = true;
    button.textContent = 'dreaming…';
    actions.dream(1, 0);
  });
  const diversity = document.createElement('label');
  diversity.className = 'dream-diversity';
  diversity.innerHTML = 'diversity weight <input id="dream-diversity" type="number" min="0" max="100" step="0.5" />';
  diversity.querySelector('input')!.value = String(actions.diversity);
  diversity.querySelector('input')!.addEventListener('change', () => actions.diversityChanged(weight()));
  const setButton = document.createElement('button');
  setButton.id = 'dream-set-button';
  setButton.textContent = `diversity set (${DIVERSITY_SET})`;
  const weight = () => Math.max(0, Math.min(100, Number(diversity.querySelector('input')!.value) || 0));
  setButton.addEventListener('click', () => {
    setButton.disabled = true;
    button.disabled = true;
    actions.dream(DIVERSITY_SET, weight());
  });
  dream.append(button, setButton, diversity);
  lower.append(dream);

  const table = document.createElement('div');
  table.className = 'top-table';
  table.append(...rows, meanRow);
  host.replaceChildren(head, table, lower);
  if (m.kind === 'conv') {
    const op = document.createElement('section');
    op.className = 'operation';
    op.innerHTML = `<h3>How this unit computes, on the input of “why this answer”</h3>
      <button id="op-play" aria-pressed="false">▶ slide the window across the map</button>
      <div id="op-body" class="op-body"><p class="muted">Draw a digit or pick a test image below.</p></div>`;
    op.querySelector('#op-play')!.addEventListener('click', () => actions.slide());
    host.append(op);
  }
}

export function drawDream(host: HTMLElement, m: DreamMessage, image: Tensor, set: Tensor): void {
  const dream = host.querySelector<HTMLElement>('#dream');
  if (!dream) return;
  if (m.values.length > 1) return drawDreamSet(dream, m, set);
  const [h, w] = image.shape;
  const canvas = drawGray(makeCanvas(w, h, 'tile dream-image'), image.values, w, h);
  const readout = document.createElement('div');
  readout.className = 'dream-readout';
  readout.innerHTML = `<div class="big-stat"><span class="big-value" id="dream-value"></span><span class="big-label">dream's activation</span></div>
    <div class="big-stat"><span class="big-value" id="dream-top"></span><span class="big-label">best test image's</span></div>`;
  readout.querySelector('#dream-value')!.textContent = m.value.toFixed(2);
  readout.querySelector('#dream-top')!.textContent = m.top_score.toFixed(2);
  const note = document.createElement('p');
  note.className = 'muted';
  note.textContent = m.flat ? 'the dream did not start: this unit may be dead' : `from ${m.initial_value.toFixed(2)} at the start`;
  // The buttons stay, to dream again or ask for a diversity set.
  const controls = [...dream.querySelectorAll<HTMLElement>('#dream-button, #dream-set-button, .dream-diversity')];
  const again = dream.querySelector<HTMLButtonElement>('#dream-button');
  if (again) {
    again.disabled = false;
    again.textContent = 'dream: the image this unit likes most';
  }
  dream.replaceChildren(figure('dream', withBox(canvas, m.box, w, h)), readout, note, ...controls);
}

/** A diversity set: the images optimised together, pushed apart, each with its value. */
function drawDreamSet(dream: HTMLElement, m: DreamMessage, set: Tensor): void {
  const [n, h, w] = set.shape;
  const row = document.createElement('div');
  row.className = 'dream-set';
  row.id = 'dream-set';
  for (let i = 0; i < n; i++) {
    const c = drawGray(makeCanvas(w, h, 'tile dream-image'), slice(set.values, i, h * w), w, h);
    const f = figure(`${m.values[i].toFixed(2)}`, withBox(c, m.box, w, h));
    f.dataset.index = String(i);
    row.append(f);
  }
  const note = document.createElement('p');
  note.className = 'muted';
  note.textContent = `a diversity set of ${n}, weight ${m.diversity}: the best test image gives ${m.top_score.toFixed(2)}`;
  dream.querySelector('#dream-set-button')?.removeAttribute('disabled');
  dream.querySelector('#dream-button')?.removeAttribute('disabled');
  dream.querySelector('#dream-set')?.remove();
  dream.querySelector('.dream-set-note')?.remove();
  note.classList.add('dream-set-note');
  dream.append(row, note);
}
