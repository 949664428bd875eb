// How a conv unit computes (CNN Explainer's operation view): at the picked position of the
// unit's map, each input channel's patch, its kernel, their element-wise products and the
// products' sum; the sums plus the bias; and the activation after it; then the max-pool window
// of the layer after it that holds this position, its maximum marked. A play button slides the
// window across the map (the view asks for the next position each time one is drawn). The arithmetic is done
// here from the numbers the server sent, and set beside the engine's own value for that
// position, so a reader can check one against the other.

import type { Tensor } from '../../lib/wire';
import type { ScaleMode } from './colourScale';
import type { OperationMessage } from './messages';
import { drawSigned, kernelGrid, makeCanvas, maxAbs, slice } from './tiles';

export interface ChannelProducts {
  products: Float32Array;
  sum: number;
}

/** Per input channel: patch ⊙ kernel and its sum. */
export function channelProducts(patches: Float32Array, kernels: Float32Array, channels: number, size: number): ChannelProducts[] {
  return Array.from({ length: channels }, (_, c) => {
    const products = new Float32Array(size * size);
    let sum = 0;
    for (let i = 0; i < size * size; i++) sum += products[i] = patches[c * size * size + i] * kernels[c * size * size + i];
    return { products, sum };
  });
}

function labelled(text: string, el: HTMLElement, attr?: [string, string]): HTMLElement {
  const f = document.createElement('figure');
  if (attr) f.dataset[attr[0]] = attr[1];
  const c = document.createElement('figcaption');
  c.textContent = text;
  f.append(el, c);
  return f;
}

/** The position after (y, x) in reading order over an h × w map, back to (0, 0) after the last. */
export function nextPosition(y: number, x: number, h: number, w: number): { y: number; x: number } {
  if (x + 1 < w) return { y, x: x + 1 };
  return y + 1 < h ? { y: y + 1, x: 0 } : { y: 0, x: 0 };
}

function box(y: number, x: number, hCells: number, wCells: number, H: number, W: number, className = 'field-box'): HTMLElement {
  const marker = document.createElement('div');
  marker.className = className;
  Object.assign(marker.style, { left: `${(100 * x) / W}%`, top: `${(100 * y) / H}%`, width: `${(100 * wCells) / W}%`, height: `${(100 * hCells) / H}%` });
  return marker;
}

/** The max-pool window over the unit's map that holds the position, its maximum marked. */
function drawPool(pool: NonNullable<OperationMessage['pool']>, map: Float32Array, W: number, H: number, scale: number): HTMLElement {
  const section = document.createElement('div');
  section.className = 'op-pool';
  section.id = 'op-pool';
  const F = pool.filter;
  const mapCanvas = drawSigned(makeCanvas(W, H, 'tile pool-map'), map, W, H, scale);
  const wrap = document.createElement('div');
  wrap.className = 'boxed';
  wrap.append(mapCanvas, box(pool.y * pool.stride, pool.x * pool.stride, F, F, H, W, 'field-box pool-box'));
  const grid = kernelGrid(pool.values, F, scale);
  grid.id = 'pool-window';
  grid.children[pool.argmax]?.classList.add('max');
  const result = document.createElement('div');
  result.className = 'big-stat';
  result.innerHTML = '<span class="big-value" id="pool-output"></span><span class="big-label"></span>';
  const out = result.querySelector<HTMLElement>('#pool-output')!;
  out.textContent = pool.output.toFixed(4);
  out.dataset.value = String(pool.output);
  result.querySelector('.big-label')!.textContent = `${pool.name} output at (${pool.y}, ${pool.x}): the window's maximum`;
  section.append(labelled(`the ${F}×${F} window of ${pool.name} (stride ${pool.stride}) holding this position`, wrap), labelled('window values, maximum outlined', grid), result);
  return section;
}

/** `scale`: the colour scale's mode, picking the ends of the kernels' and the map's scales. */
export function drawOperation(host: HTMLElement, m: OperationMessage, tensors: Tensor[], pick: (y: number, x: number) => void, scale: { weights: (own: number) => number; mode: ScaleMode }): void {
  const [patches, kernels, map] = tensors;
  const F = m.kernel;
  const [H, W] = map.shape;
  const per = channelProducts(patches.values, kernels.values, m.channels, F);
  const sum = per.reduce((a, p) => a + p.sum, 0) + m.bias;

  const mapScale = { unit: maxAbs(map.values), ...m.map_max }[scale.mode];
  const mapCanvas = drawSigned(makeCanvas(W, H, 'tile op-map'), map.values, W, H, mapScale);
  mapCanvas.id = 'op-map';
  mapCanvas.title = 'click a position';
  mapCanvas.addEventListener('click', (e) => {
    const r = mapCanvas.getBoundingClientRect();
    pick(Math.min(H - 1, Math.floor(((e.clientY - r.top) / r.height) * H)), Math.min(W - 1, Math.floor(((e.clientX - r.left) / r.width) * W)));
  });
  const wrap = document.createElement('div');
  wrap.className = 'boxed';
  const windowBox = box(m.y, m.x, 1, 1, H, W);
  windowBox.id = 'op-window';
  wrap.append(mapCanvas, windowBox);

  const kScale = scale.weights(maxAbs(kernels.values));
  const pScale = maxAbs(patches.values);
  const rows = per.map((p, c) => {
    const row = document.createElement('div');
    row.className = 'op-channel';
    row.dataset.channel = String(c);
    const prodScale = maxAbs(p.products);
    const s = document.createElement('span');
    s.className = 'op-channel-sum';
    s.textContent = `Σ = ${p.sum.toFixed(4)}`;
    row.append(
      labelled(`patch, in ${c}`, kernelGrid(slice(patches.values, c, F * F), F, pScale)),
      document.createTextNode('⊙'),
      labelled('kernel', kernelGrid(slice(kernels.values, c, F * F), F, kScale)),
      document.createTextNode('='),
      labelled('products', kernelGrid(p.products, F, prodScale)),
      s,
    );
    return row;
  });

  const total = document.createElement('div');
  total.className = 'op-total';
  total.innerHTML = `<div class="big-stat"><span class="big-value" id="op-sum"></span><span class="big-label" id="op-sum-label"></span></div>
    <div class="big-stat"><span class="big-value" id="op-value"></span><span class="big-label">the engine's value there</span></div>
    <div class="big-stat"><span class="big-value" id="op-activation"></span><span class="big-label" id="op-activation-label"></span></div>`;
  const sumEl = total.querySelector<HTMLElement>('#op-sum')!;
  sumEl.textContent = sum.toFixed(4);
  sumEl.dataset.value = String(sum);
  total.querySelector('#op-sum-label')!.textContent = `${per.length} channel sums + bias ${m.bias.toFixed(4)}`;
  const valueEl = total.querySelector<HTMLElement>('#op-value')!;
  valueEl.textContent = m.value.toFixed(4);
  valueEl.dataset.value = String(m.value);
  total.querySelector('#op-activation')!.textContent = m.activation.toFixed(4);
  total.querySelector('#op-activation-label')!.textContent = m.activation_name === 'none' ? 'no activation follows' : `after ${m.activation_name}`;

  const head = document.createElement('p');
  head.className = 'op-geometry';
  head.textContent = `position (${m.y}, ${m.x}) of the unit's ${H}×${W} map: a ${F}×${F} window, stride ${m.stride}, padding ${m.padding}, over ${m.channels} input channel${m.channels === 1 ? '' : 's'}`;
  const left = document.createElement('div');
  left.append(labelled("the unit's map on this input (click a position)", wrap));
  const right = document.createElement('div');
  right.className = 'op-channels';
  right.append(head, ...rows, total);
  if (m.pool) right.append(drawPool(m.pool, map.values, W, H, mapScale));
  host.replaceChildren(left, right);
  host.dataset.position = `${m.y},${m.x}`;
  host.dataset.scale = scale.mode;
  mapCanvas.dataset.scale = String(mapScale);
}
